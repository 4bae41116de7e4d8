// Re-extraction of the stored reports from their stored raw bytes, on every
// core: the latest version of each report is read in one pass (a RocksDB
// iterator, so this run's own writes are not seen), `jobs` workers extract
// through a bounded queue, and one writer commits, so a report gets a new
// version only where the extracted content changed. The records are the
// same whatever `jobs` is; memory is bounded by the queues, not the store.
#ifndef NIANBAO_DAEMON_REEXTRACT_H_
#define NIANBAO_DAEMON_REEXTRACT_H_

#include <cstddef>

#include "config/status.h"
#include "store/database.h"

namespace nianbao {

struct ReextractStats {
  size_t reports = 0;      // latest versions read
  size_t reextracted = 0;  // extracted and committed
  size_t added = 0;        // of which a new version
  size_t failed = 0;       // raw bytes missing or extraction failed (logged)
};

// jobs >= 1. A database error stops the run and is returned; a page that
// cannot be re-extracted is logged and counted, and the run goes on.
Result<ReextractStats> Reextract(store::Database* db, unsigned jobs);

}  // namespace nianbao

#endif  // NIANBAO_DAEMON_REEXTRACT_H_
