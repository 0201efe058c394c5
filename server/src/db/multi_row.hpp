// Multi-row INSERT texts: "head VALUES ($1, …), (…), … tail" for 1 … max_rows rows, made once.
// A statement's fixed cost (opening the table and its indexes, the constraints, the end of the
// statement) is then paid once for many rows, and each row count is one cached statement.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace sb::db {

class MultiRowInsert {
 public:
  MultiRowInsert(std::string_view head, std::size_t columns, std::string_view tail = {}, std::size_t max_rows = 32);
  // The text for rows rows, 1 ≤ rows ≤ max_rows().
  const std::string& sql(std::size_t rows) const { return texts_.at(rows); }
  std::size_t max_rows() const { return texts_.size() - 1; }
  std::size_t columns() const { return columns_; }

 private:
  std::size_t columns_;
  std::vector<std::string> texts_;
};

}  // namespace sb::db
