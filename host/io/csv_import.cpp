#include "host/io/csv_import.hpp"

namespace turnpoint {

Panel import_csv(const std::vector<std::string>& files, const ImportOptions& options) {
  ImportOptions quiet = options;
  quiet.quiet = true;
  return import_panel(files, quiet).panel;
}

}  // namespace turnpoint
