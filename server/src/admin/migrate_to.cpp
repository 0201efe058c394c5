// switchboard admin migrate-to: SQLite → PostgreSQL, every table in foreign-key order, in batches,
// one target transaction, counts compared before the commit. The SQL here reads the two
// databases' catalogs and copies whole tables, so it names tables and columns taken from the
// target's catalog (quoted); every value is a bound parameter.
#include "admin/migrate_to.hpp"

#include <algorithm>
#include <chrono>
#include <stdexcept>
#include <map>
#include <set>

#include "db/identifier.hpp"
#include "db/migrations.hpp"

namespace sb::admin {
namespace {

struct Column {
  std::string name;
  bool bytes = false;  // bytea in PostgreSQL, BLOB in SQLite: copied as hex
};

struct Table {
  std::string name;
  std::vector<Column> columns;
};

std::string quoted(const std::string& name) { return db::quote_identifier(name); }

// The target's base tables (schema_migrations aside: each side keeps its own) with their columns
// in order, parents before children.
std::vector<Table> target_tables(db::Connection& pg) {
  std::map<std::string, Table> tables;
  for (const auto& r : pg.query(
           "SELECT c.table_name, c.column_name, c.data_type FROM information_schema.columns c "
           "JOIN information_schema.tables t ON t.table_schema = c.table_schema AND t.table_name = c.table_name "
           "WHERE c.table_schema = current_schema() AND t.table_type = 'BASE TABLE' AND c.is_generated = 'NEVER' "
           "AND c.table_name <> 'schema_migrations' ORDER BY c.table_name, c.ordinal_position")) {
    auto& t = tables[r.text("table_name")];
    t.name = r.text("table_name");
    t.columns.push_back({r.text("column_name"), r.text("data_type") == "bytea"});
  }
  std::map<std::string, std::set<std::string>> parents;
  for (const auto& r : pg.query(
           "SELECT child.relname AS child, parent.relname AS parent FROM pg_constraint c "
           "JOIN pg_class child ON child.oid = c.conrelid JOIN pg_class parent ON parent.oid = c.confrelid "
           "JOIN pg_namespace n ON n.oid = child.relnamespace "
           "WHERE c.contype = 'f' AND n.nspname = current_schema()")) {
    if (r.text("child") != r.text("parent")) parents[r.text("child")].insert(r.text("parent"));
  }
  std::vector<Table> ordered;
  std::set<std::string> placed;
  while (placed.size() < tables.size()) {
    bool progress = false;
    for (auto& [name, table] : tables) {
      if (placed.count(name)) continue;
      bool ready = true;
      for (const auto& p : parents[name]) ready = ready && (placed.count(p) || !tables.count(p));
      if (!ready) continue;
      ordered.push_back(table);
      placed.insert(name);
      progress = true;
    }
    if (!progress) throw std::runtime_error("the target's foreign keys form a cycle; cannot order the copy");
  }
  return ordered;
}

// The SQLite columns that make a row's key for paging: the rowid, or a WITHOUT ROWID table's primary key.
std::vector<std::string> source_key(db::Connection& lite, const std::string& table) {
  auto wr = lite.query_one("SELECT wr FROM pragma_table_list WHERE schema = 'main' AND name = $1", {table});
  if (!wr) return {};
  if (wr->integer("wr") == 0) return {"rowid"};
  std::vector<std::string> key;
  for (const auto& r : lite.query("SELECT name FROM pragma_table_info($1) WHERE pk > 0 ORDER BY pk", {table}))
    key.push_back(r.text("name"));
  return key;
}

std::int64_t count_rows(db::Connection& conn, const std::string& table) {
  return conn.query_one("SELECT COUNT(*) AS n FROM " + quoted(table))->integer("n");
}

// One INSERT text for `rows` rows.
std::string insert_sql(const Table& t, std::size_t rows) {
  std::string sql = "INSERT INTO " + quoted(t.name) + " (";
  for (std::size_t i = 0; i < t.columns.size(); ++i) sql += (i ? ", " : "") + quoted(t.columns[i].name);
  sql += ") VALUES ";
  std::size_t n = 0;
  for (std::size_t r = 0; r < rows; ++r) {
    sql += r ? ", (" : "(";
    for (std::size_t i = 0; i < t.columns.size(); ++i) {
      std::string p = "$" + std::to_string(++n);
      sql += (i ? ", " : "") + (t.columns[i].bytes ? "decode(" + p + ", 'hex')" : p);
    }
    sql += ")";
  }
  return sql;
}

// Copies one table page by page; returns the rows copied.
std::int64_t copy_table(db::Connection& lite, db::Connection& pg, const Table& t, std::int64_t batch) {
  const auto key = source_key(lite, t.name);
  if (key.empty()) throw std::runtime_error("the SQLite database has no table " + t.name);
  std::string select = "SELECT ";
  for (std::size_t i = 0; i < key.size(); ++i) select += (i ? ", " : "") + quoted(key[i]) + " AS " + quoted("k" + std::to_string(i));
  for (const auto& c : t.columns)
    select += ", " + (c.bytes ? "CASE WHEN " + quoted(c.name) + " IS NULL THEN NULL ELSE hex(" + quoted(c.name) + ") END"
                             : quoted(c.name)) +
              " AS " + quoted(c.name);
  select += " FROM " + quoted(t.name);
  std::string key_list;
  std::string params;
  for (std::size_t i = 0; i < key.size(); ++i) {
    key_list += (i ? ", " : "") + quoted(key[i]);
    params += (i ? ", $" : "$") + std::to_string(i + 1);
  }
  const std::string order = " ORDER BY " + key_list + " LIMIT " + std::to_string(batch);
  const std::string first = select + order;
  const std::string next = select + " WHERE (" + key_list + ") > (" + params + ")" + order;

  // PostgreSQL takes at most 65,535 parameters in one statement.
  const std::size_t per_insert =
      std::max<std::size_t>(1, std::min<std::size_t>(batch, 30000 / std::max<std::size_t>(1, t.columns.size())));
  std::map<std::size_t, std::string> texts;
  std::int64_t copied = 0;
  db::Params last;
  for (;;) {
    auto rows = lite.query(last.empty() ? first : next, last);
    if (rows.empty()) break;
    for (std::size_t start = 0; start < rows.size(); start += per_insert) {
      const std::size_t end = std::min(rows.size(), start + per_insert);
      auto& sql = texts[end - start];
      if (sql.empty()) sql = insert_sql(t, end - start);
      db::Params values;
      values.reserve((end - start) * t.columns.size());
      for (std::size_t r = start; r < end; ++r)
        for (std::size_t c = 0; c < t.columns.size(); ++c) {
          const auto& v = rows[r].at(key.size() + c);
          if (v) values.emplace_back(*v);
          else values.emplace_back(nullptr);
        }
      pg.execute(sql, values);
    }
    copied += static_cast<std::int64_t>(rows.size());
    last.clear();
    for (std::size_t i = 0; i < key.size(); ++i) {
      const auto& v = rows.back().at(i);
      if (v) last.emplace_back(*v);
      else last.emplace_back(nullptr);
    }
    // Keys are compared as SQLite stores them: a rowid is an integer, not text.
    if (key.size() == 1 && key[0] == "rowid") last[0] = static_cast<std::int64_t>(std::stoll(std::get<std::string>(last[0])));
    if (rows.size() < static_cast<std::size_t>(batch)) break;
  }
  return copied;
}

// Sequences owned by a column (serial, identity) continue after the copied values.
void set_sequences(db::Connection& pg) {
  for (const auto& r : pg.query(
           "SELECT s.relname AS seq, t.relname AS tbl, a.attname AS col FROM pg_class s "
           "JOIN pg_namespace n ON n.oid = s.relnamespace "
           "JOIN pg_depend d ON d.objid = s.oid AND d.classid = 'pg_class'::regclass "
           "AND d.refclassid = 'pg_class'::regclass AND d.deptype IN ('a', 'i') "
           "JOIN pg_class t ON t.oid = d.refobjid "
           "JOIN pg_attribute a ON a.attrelid = t.oid AND a.attnum = d.refobjsubid "
           "WHERE s.relkind = 'S' AND n.nspname = current_schema()")) {
    pg.query("SELECT setval($1, COALESCE((SELECT MAX(" + quoted(r.text("col")) + ") FROM " + quoted(r.text("tbl")) +
                 "), 0) + 1, false) AS v",
             {quoted(r.text("seq"))});
  }
}

std::vector<int> versions(db::Database& d) {
  std::vector<int> out;
  for (const auto& m : db::migration_state(d).applied) out.push_back(m.version);
  return out;
}

}  // namespace

Result<MigrateToResult> migrate_to(db::Database& source, db::Database& target, std::int64_t now_ms,
                                   const MigrateToOptions& options) {
  auto say = [&](const std::string& line) {
    if (options.progress) options.progress(line);
  };
  if (source.dialect() != db::Dialect::sqlite)
    return Error::validation({{"source", "must be a SQLite database"}}, "The source must be a SQLite database.");
  if (target.dialect() != db::Dialect::postgres)
    return Error::validation({{"database_url", "must be a postgres:// URL"}},
                             "The target must be a PostgreSQL database (postgres://…).");
  const auto started = std::chrono::steady_clock::now();
  MigrateToResult result;
  try {
    db::apply_migrations(source, now_ms);
    db::apply_migrations(target, now_ms);
    auto source_versions = versions(source);
    if (source_versions != versions(target))
      return Error::conflict("The two databases are at different schema versions; upgrade Switchboard so that it knows "
                             "every migration of both.");
    result.schema_version = source_versions.empty() ? 0 : source_versions.back();

    auto pg = target.acquire();
    auto lite = source.acquire();
    const auto tables = target_tables(*pg);
    boost::json::array occupied;
    for (const auto& t : tables)
      if (pg->query_one("SELECT 1 AS x FROM " + quoted(t.name) + " LIMIT 1")) occupied.emplace_back(t.name);
    if (!occupied.empty()) {
      Error e = Error::conflict("The target database is not empty (" + std::to_string(occupied.size()) +
                                " table(s) hold rows, e.g. " + std::string(occupied.front().as_string()) +
                                "); migrate-to copies only into an empty database.");
      e.details["tables"] = occupied;
      return e;
    }

    // One read snapshot of the source, one transaction on the target: all or nothing.
    db::Transaction read(*lite, /*immediate=*/false);
    db::Transaction write(*pg);
    for (const auto& t : tables) {
      TableCopy c{t.name, count_rows(*lite, t.name), 0};
      std::int64_t copied = copy_table(*lite, *pg, t, std::max<std::int64_t>(1, options.batch_rows));
      c.target_rows = count_rows(*pg, t.name);
      say("  " + t.name + ": " + std::to_string(copied) + " row(s)");
      result.rows += c.target_rows;
      result.tables.push_back(c);
    }
    set_sequences(*pg);
    for (const auto& c : result.tables)
      if (c.source_rows != c.target_rows)
        return Error::conflict("Row counts differ for " + c.table + " (SQLite " + std::to_string(c.source_rows) +
                               ", PostgreSQL " + std::to_string(c.target_rows) + "); nothing was committed.");
    write.commit();
  } catch (const db::DbError& e) {
    // Driver messages name hosts, ports, users and SQL, never the password (db/postgres describe_url).
    return Error::unavailable(std::string("Could not copy the database: ") + e.what());
  } catch (const std::runtime_error& e) {
    return Error::unavailable(std::string("Could not copy the database: ") + e.what());
  }
  result.seconds = std::chrono::duration<double>(std::chrono::steady_clock::now() - started).count();
  return result;
}

}  // namespace sb::admin
