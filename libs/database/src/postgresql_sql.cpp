#include "postgresql_sql.hpp"

#include <algorithm>
#include <cctype>

namespace typhoon::database::detail {

namespace {

bool identifier_char(char c) {
    return std::isalnum(static_cast<unsigned char>(c)) || c == '_' || c == '$' ||
           static_cast<unsigned char>(c) >= 0x80;
}

bool keyword_at(std::string_view sql, std::size_t i, std::string_view word) {
    if (i + word.size() > sql.size()) return false;
    if (i > 0 && identifier_char(sql[i - 1])) return false;
    for (std::size_t k = 0; k < word.size(); ++k)
        if (std::toupper(static_cast<unsigned char>(sql[i + k])) != word[k]) return false;
    return i + word.size() == sql.size() || !identifier_char(sql[i + word.size()]);
}

}  // namespace

PostgreSQLStatement postgresql_statement(std::string_view sql) {
    PostgreSQLStatement out;
    out.sql.reserve(sql.size() + 8);
    int questions = 0;
    int highest_dollar = 0;
    bool returning = false;
    bool first_word_seen = false;
    bool first_is_insert = false;
    std::size_t i = 0;
    // Copies sql[i, end) unchanged and moves on.
    auto copy_to = [&](std::size_t end) {
        out.sql.append(sql.substr(i, end - i));
        i = end;
    };
    while (i < sql.size()) {
        const char c = sql[i];
        if (c == '\'' || c == '"') {
            // A literal or a quoted identifier; a doubled quote stays inside. E'...' strings
            // may also escape the quote with a backslash.
            const bool backslashes = c == '\'' && i > 0 &&
                                     (sql[i - 1] == 'E' || sql[i - 1] == 'e') &&
                                     (i < 2 || !identifier_char(sql[i - 2]));
            std::size_t j = i + 1;
            while (j < sql.size()) {
                if (backslashes && sql[j] == '\\') {
                    j += 2;
                    continue;
                }
                if (sql[j] == c) {
                    if (j + 1 < sql.size() && sql[j + 1] == c) {
                        j += 2;
                        continue;
                    }
                    break;
                }
                ++j;
            }
            copy_to(std::min(j + 1, sql.size()));
        } else if (c == '-' && i + 1 < sql.size() && sql[i + 1] == '-') {
            const auto end = sql.find('\n', i);
            copy_to(end == std::string_view::npos ? sql.size() : end);
        } else if (c == '/' && i + 1 < sql.size() && sql[i + 1] == '*') {
            // PostgreSQL's block comments nest.
            int depth = 0;
            std::size_t j = i;
            while (j < sql.size()) {
                if (sql.compare(j, 2, "/*") == 0) {
                    ++depth;
                    j += 2;
                } else if (sql.compare(j, 2, "*/") == 0) {
                    j += 2;
                    if (--depth == 0) break;
                } else {
                    ++j;
                }
            }
            copy_to(j);
        } else if (c == '$' && (i == 0 || !identifier_char(sql[i - 1]))) {
            std::size_t j = i + 1;
            if (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
                // Past the protocol's 65,535 parameters the number only has to stay too big:
                // PostgreSQL refuses the statement with its own message.
                int n = 0;
                while (j < sql.size() && std::isdigit(static_cast<unsigned char>(sql[j]))) {
                    if (n < 1'000'000) n = n * 10 + (sql[j] - '0');
                    ++j;
                }
                highest_dollar = std::max(highest_dollar, n);
                copy_to(j);
                continue;
            }
            // $tag$ ... $tag$ (the tag may be empty): a body that no placeholder enters.
            while (j < sql.size() && identifier_char(sql[j]) && sql[j] != '$')
                ++j;
            if (j < sql.size() && sql[j] == '$') {
                const auto tag = sql.substr(i, j - i + 1);
                const auto end = sql.find(tag, j + 1);
                copy_to(end == std::string_view::npos ? sql.size() : end + tag.size());
            } else {
                copy_to(i + 1);
            }
        } else if (c == '?') {
            ++questions;
            out.sql += '$';
            out.sql += std::to_string(questions);
            ++i;
        } else if (identifier_char(c)) {
            std::size_t j = i;
            while (j < sql.size() && identifier_char(sql[j]))
                ++j;
            if (!first_word_seen) {
                first_word_seen = true;
                first_is_insert = keyword_at(sql, i, "INSERT");
            }
            if (keyword_at(sql, i, "RETURNING")) returning = true;
            copy_to(j);
        } else {
            copy_to(i + 1);
        }
    }
    if (highest_dollar > 0) {
        out.sql.assign(sql);  // its `?`s are operators: they stay as they were
        out.placeholders = highest_dollar;
    } else {
        out.placeholders = questions;
    }
    out.inserts = first_is_insert && !returning;
    return out;
}

}  // namespace typhoon::database::detail
