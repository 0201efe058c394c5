// Multi-row INSERT texts.
#include "db/multi_row.hpp"

namespace sb::db {

MultiRowInsert::MultiRowInsert(std::string_view head, std::size_t columns, std::string_view tail,
                               std::size_t max_rows)
    : texts_(max_rows + 1) {
  for (std::size_t rows = 1; rows <= max_rows; ++rows) {
    std::string& sql = texts_[rows];
    sql = head;
    sql += " VALUES ";
    std::size_t n = 0;
    for (std::size_t r = 0; r < rows; ++r) {
      sql += r ? ", (" : "(";
      for (std::size_t c = 0; c < columns; ++c) {
        if (c) sql += ", ";
        sql += '$';
        sql += std::to_string(++n);
      }
      sql += ')';
    }
    sql += tail;
  }
}

}  // namespace sb::db
