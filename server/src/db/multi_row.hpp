// Multi-row INSERT texts: "head VALUES ($1, …), (…), … tail" for 1 … max_rows rows, made once.
// A statement's fixed cost (opening the table and its indexes, the constraints, the end of the
// statement) is then paid once for many rows, and each row count is one cached statement.
#pragma once

#include <algorithm>
#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "db/database.hpp"

namespace sb::db {

class MultiRowInsert {
 public:
  MultiRowInsert(std::string_view head, std::size_t columns, std::string_view tail = {}, std::size_t max_rows = 32);
  // The text for rows rows, 1 ≤ rows ≤ max_rows().
  const std::string& sql(std::size_t rows) const { return texts_.at(rows); }
  std::size_t max_rows() const { return texts_.size() - 1; }

  // Inserts every row, max_rows() a statement; bind(params, row) appends one row's values in order.
  template <typename Row, typename Bind>
  void insert(Connection& conn, const std::vector<Row>& rows, Bind bind) const {
    std::vector<ValueRef> params;
    for (std::size_t start = 0; start < rows.size(); start += max_rows()) {
      const std::size_t end = std::min(rows.size(), start + max_rows());
      params.clear();
      for (std::size_t i = start; i < end; ++i) bind(params, rows[i]);
      conn.execute_refs(sql(end - start), params);
    }
  }

 private:
  std::vector<std::string> texts_;
};

// An optional value as a parameter: NULL when empty.
inline ValueRef ref(const std::optional<std::string>& v) { return v ? ValueRef(*v) : ValueRef(nullptr); }
inline ValueRef ref(const std::optional<std::int64_t>& v) { return v ? ValueRef(*v) : ValueRef(nullptr); }

}  // namespace sb::db
