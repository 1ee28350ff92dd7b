#include "postgresql_values.hpp"

#include "backend.hpp"

#include <typhoon/database/errors.hpp>

#include <boost/json/parse.hpp>

#include <libpq-fe.h>

#include <cctype>
#include <charconv>
#include <cmath>

namespace typhoon::database::detail {

namespace {

/// Type OIDs, fixed by PostgreSQL's bootstrap catalog (pg_type.dat), the same on every server.
namespace oid {
constexpr Oid unknown = 0, boolean = 16, bytea = 17, int8 = 20, int2 = 21, int4 = 23, oid = 26,
              json = 114, float4 = 700, float8 = 701, timestamp = 1114, timestamptz = 1184,
              numeric = 1700, jsonb = 3802;
}  // namespace oid

/// The element type of an array type, or 0 when `type` is not an array Typhoon reads.
Oid element_of(Oid type) {
    switch (type) {
        case 1000:
            return oid::boolean;
        case 1001:
            return oid::bytea;
        case 1005:
            return oid::int2;
        case 1007:
            return oid::int4;
        case 1016:
            return oid::int8;
        case 1028:
            return oid::oid;
        case 1021:
            return oid::float4;
        case 1022:
            return oid::float8;
        case 1231:
            return oid::numeric;
        case 199:
            return oid::json;
        case 3807:
            return oid::jsonb;
        case 1115:
            return oid::timestamp;
        case 1185:
            return oid::timestamptz;
        case 1009:  // text[]
        case 1014:  // char(n)[]
        case 1015:  // varchar[]
        case 1182:  // date[]
        case 1183:  // time[]
        case 2951:  // uuid[]
            return 25;
        default:
            return 0;
    }
}

/// PostgreSQL's timestamps as ISO 8601, as Python's isoformat(): "2024-05-01T12:30:00+00:00".
boost::json::value iso_timestamp(std::string_view text) {
    boost::json::string iso(text);
    if (iso.size() >= 19 && iso[10] == ' ') iso[10] = 'T';
    // An offset of whole hours is written "+02"; ISO 8601 and isoformat() write "+02:00".
    if (iso.size() >= 22) {
        const char sign = iso[iso.size() - 3];
        if ((sign == '+' || sign == '-') && std::isdigit(static_cast<unsigned char>(iso.back())))
            iso.append(":00");
    }
    return iso;
}

boost::json::value value_of(Oid type, std::string_view text);

/** A one-dimensional or nested array in PostgreSQL's text form ("{1,NULL,\"a b\"}"), as JSON
    arrays. libpq has no array parser: this reads the output syntax of array_out. */
class ArrayReader {
public:
    ArrayReader(std::string_view text, Oid element) : text_(text), element_(element) {
        // Bounds other than 1 are written first, "[0:1]={...}": the values are what matters.
        if (!text_.empty() && text_.front() == '[') {
            const auto eq = text_.find('=');
            i_ = eq == std::string_view::npos ? text_.size() : eq + 1;
        }
    }
    boost::json::value read() {
        if (i_ >= text_.size() || text_[i_] != '{') return boost::json::string(text_);
        auto value = list(1);
        if (too_deep_) return boost::json::string(text_);
        return value;
    }

private:
    /// PostgreSQL's arrays have at most 6 dimensions; text nested deeper is no array of its,
    /// and is kept as text rather than read by a recursion it could make as deep as it likes.
    static constexpr int max_depth = 6;

    boost::json::value list(int depth) {
        boost::json::array out;
        ++i_;  // '{'
        if (depth > max_depth) {
            too_deep_ = true;
            return out;
        }
        while (i_ < text_.size() && text_[i_] != '}' && !too_deep_) {
            if (text_[i_] == '{') {
                out.push_back(list(depth + 1));
            } else if (text_[i_] == '"') {
                std::string item;
                ++i_;
                while (i_ < text_.size() && text_[i_] != '"') {
                    if (text_[i_] == '\\' && i_ + 1 < text_.size()) ++i_;
                    item += text_[i_++];
                }
                ++i_;  // '"'
                out.push_back(value_of(element_, item));
            } else {
                const auto end = text_.find_first_of(",}", i_);
                const auto item = text_.substr(i_, end - i_);
                i_ = end == std::string_view::npos ? text_.size() : end;
                out.push_back(item == "NULL" ? boost::json::value(nullptr)
                                             : value_of(element_, item));
            }
            if (i_ < text_.size() && text_[i_] == ',') ++i_;
        }
        ++i_;  // '}'
        return out;
    }

    std::string_view text_;
    Oid element_;
    std::size_t i_ = 0;
    bool too_deep_ = false;
};

/** The JSON value of a column in PostgreSQL's text output: integers, floating point, booleans,
    bytea (its bytes, through PQunescapeBytea), JSON and JSONB (parsed), timestamps (ISO 8601),
    arrays of these; numeric keeps its exact digits, and every other type is its text. */
boost::json::value value_of(Oid type, std::string_view text) {
    switch (type) {
        case oid::int2:
        case oid::int4:
        case oid::int8:
        case oid::oid: {
            std::int64_t n = 0;
            std::from_chars(text.data(), text.data() + text.size(), n);
            return n;
        }
        case oid::float4:
        case oid::float8: {
            double d = 0;
            // "NaN", "Infinity" and "-Infinity" are what from_chars reads as well.
            std::from_chars(text.data(), text.data() + text.size(), d);
            return d;
        }
        case oid::boolean:
            return text == "t";
        case oid::bytea: {
            const std::string terminated(text);
            std::size_t length = 0;
            unsigned char* bytes = PQunescapeBytea(
                reinterpret_cast<const unsigned char*>(terminated.c_str()), &length);
            if (!bytes) throw OperationalError("PQunescapeBytea: out of memory");
            boost::json::string out(reinterpret_cast<const char*>(bytes), length);
            PQfreemem(bytes);
            return out;
        }
        case oid::json:
        case oid::jsonb: {
            boost::system::error_code error;
            auto parsed = boost::json::parse(text, error);
            if (!error) return parsed;
            return boost::json::string(text);
        }
        case oid::timestamp:
        case oid::timestamptz:
            return iso_timestamp(text);
        default:
            if (Oid element = element_of(type)) return ArrayReader(text, element).read();
            return boost::json::string(text);  // text, numeric digits, date, time, uuid, ...
    }
}

}  // namespace

boost::json::value postgresql_value(Oid type, std::string_view text) {
    return value_of(type, text);
}

PostgreSQLParams::PostgreSQLParams(const Params& params, const std::string& sql) {
    const auto n = params.size();
    values.resize(n);
    lengths.resize(n);
    formats.resize(n);
    types.resize(n);
    texts.reserve(n);
    for (std::size_t i = 0; i < n; ++i) {
        const auto& param = params[i];
        const auto& value = param.value();
        auto text = [&](std::string s, Oid type, char code) {
            texts.push_back(std::move(s));
            values[i] = texts.back().c_str();
            types[i] = type;
            signature += code;
        };
        if (std::holds_alternative<std::nullptr_t>(value)) {
            values[i] = nullptr;
            types[i] = oid::unknown;
            signature += 'n';
        } else if (param.is_bool()) {
            // Untyped, so that a BOOLEAN column and an INTEGER one both take it.
            text(std::get<std::int64_t>(value) ? "1" : "0", oid::unknown, 'n');
        } else if (auto* whole = std::get_if<std::int64_t>(&value)) {
            text(std::to_string(*whole), oid::int8, 'i');
        } else if (auto* u = std::get_if<std::uint64_t>(&value)) {
            text(std::to_string(*u), oid::numeric, 'u');  // may exceed bigint
        } else if (auto* d = std::get_if<double>(&value)) {
            char buffer[32];
            std::string s;
            if (std::isnan(*d))
                s = "NaN";
            else if (std::isinf(*d))
                s = *d > 0 ? "Infinity" : "-Infinity";
            else
                s.assign(buffer, std::to_chars(buffer, buffer + sizeof buffer, *d).ptr);
            text(std::move(s), oid::float8, 'd');
        } else if (auto* s = std::get_if<std::string>(&value)) {
            // Untyped text, which the server reads as the type its place needs (a date, a
            // number, JSON). libpq sends text parameters as C strings: a NUL would cut it.
            if (s->find('\0') != std::string::npos)
                throw DataError(
                    with_sql("(22021) PostgreSQL text cannot hold a NUL byte: bind Bytes{...} "
                             "to a bytea column instead",
                             sql),
                    "22021");
            values[i] = s->c_str();
            types[i] = oid::unknown;
            signature += 'n';
        } else {
            const auto& bytes = std::get<Bytes>(value).data;
            values[i] = bytes.data();
            lengths[i] = static_cast<int>(bytes.size());
            formats[i] = 1;  // binary: the bytes as they are, no escaping
            types[i] = oid::bytea;
            signature += 'y';
        }
    }
}

}  // namespace typhoon::database::detail
