// The loaded translations (Tornado's module globals), and the CSV and .mo readers that fill them.
#include <typhoon/locale/translations.hpp>

#include "locale_aliases.hpp"
#include "locale_data.hpp"

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/core/error.hpp>
#include <typhoon/core/log.hpp>
#include <typhoon/core/utf8.hpp>

#include <algorithm>
#include <atomic>
#include <cstring>
#include <fstream>
#include <map>
#include <mutex>
#include <sstream>

namespace typhoon::locale {
namespace {

namespace fs = std::filesystem;
using detail::CsvCatalog;
using detail::GettextChain;
using detail::MoCatalog;
using detail::Translations;

// ---------------------------------------------------------------------------------------------
// The registry: one immutable State, swapped whole when translations or the default change.

struct State {
    std::string default_code;
    std::map<std::string, std::shared_ptr<const Translations>, std::less<>> translations;
    std::map<std::string, Locale, std::less<>> locales;  // every supported code
};

std::shared_ptr<const State> make_state(
    std::string default_code,
    std::map<std::string, std::shared_ptr<const Translations>, std::less<>> translations) {
    auto state = std::make_shared<State>();
    state->default_code = std::move(default_code);
    state->translations = std::move(translations);
    for (const auto& [code, catalog] : state->translations)
        state->locales.emplace(code, detail::make_locale(detail::build_locale_data(code, catalog)));
    if (!state->locales.contains(state->default_code))
        state->locales.emplace(state->default_code, detail::make_locale(detail::build_locale_data(
                                                        state->default_code, nullptr)));
    return state;
}

std::atomic<std::shared_ptr<const State>>& current_state() {
    static std::atomic<std::shared_ptr<const State>> state{make_state("en_US", {})};
    return state;
}

std::mutex& writer_mutex() {
    static std::mutex mutex;
    return mutex;
}

void replace_translations(
    std::map<std::string, std::shared_ptr<const Translations>, std::less<>> translations) {
    const std::lock_guard lock(writer_mutex());
    const auto old = current_state().load();
    auto state = make_state(old->default_code, std::move(translations));
    std::vector<std::string> codes;
    for (const auto& entry : state->locales)
        codes.push_back(entry.first);
    current_state().store(std::move(state));
    if (log::gen_log.is_enabled_for(log::Level::debug)) {
        std::string list;
        for (const auto& code : codes)
            list += (list.empty() ? "" : ", ") + escape::detail::python_repr(code);
        log::gen_log.debug("Supported locales: [" + list + "]");
    }
}

std::string ascii_upper(std::string_view text) {
    std::string out(text);
    for (char& c : out)
        if (c >= 'a' && c <= 'z') c = static_cast<char>(c - 'a' + 'A');
    return out;
}

template <class Range>
Locale closest(const Range& codes) {
    const auto state = current_state().load();
    const auto find = [&](std::string_view code) -> const Locale* {
        const auto found = state->locales.find(code);
        return found == state->locales.end() ? nullptr : &found->second;
    };
    for (const auto& given : codes) {
        std::string code(given);
        if (code.empty()) continue;
        std::replace(code.begin(), code.end(), '-', '_');
        const auto underscores = std::count(code.begin(), code.end(), '_');
        if (underscores > 1) continue;
        const std::size_t split = code.find('_');
        const std::string language = code.substr(0, split);
        if (underscores == 1)
            code =
                escape::detail::ascii_lower(language) + "_" + ascii_upper(code.substr(split + 1));
        if (const Locale* locale = find(code)) return *locale;
        if (const Locale* locale = find(escape::detail::ascii_lower(language))) return *locale;
    }
    return state->locales.at(state->default_code);
}

std::optional<std::string> read_whole_file(const fs::path& path, std::string& error) {
    std::error_code ec;
    if (fs::is_directory(path, ec)) {
        error = "Is a directory";
        return std::nullopt;
    }
    std::ifstream file(path, std::ios::binary);
    if (!file) {
        error = std::strerror(errno);
        return std::nullopt;
    }
    std::ostringstream bytes;
    bytes << file.rdbuf();
    if (file.bad()) {
        error = "read error";
        return std::nullopt;
    }
    return std::move(bytes).str();
}

// ---------------------------------------------------------------------------------------------
// CSV files

enum class Encoding { detect, utf8, utf8_sig, utf16, utf16_le, utf16_be };

Encoding parse_encoding(std::string_view name) {
    std::string key = escape::detail::ascii_lower(name);
    std::replace(key.begin(), key.end(), '_', '-');
    if (key.empty()) return Encoding::detect;
    if (key == "utf-8" || key == "utf8" || key == "u8") return Encoding::utf8;
    if (key == "utf-8-sig" || key == "utf8-sig") return Encoding::utf8_sig;
    if (key == "utf-16" || key == "utf16" || key == "u16") return Encoding::utf16;
    if (key == "utf-16-le" || key == "utf-16le") return Encoding::utf16_le;
    if (key == "utf-16-be" || key == "utf-16be") return Encoding::utf16_be;
    throw Error("load_translations: unsupported encoding " + escape::detail::python_repr(name));
}

/// UTF-16 to UTF-8. A unit that does not decode becomes the byte 0xFF, never valid UTF-8, so the
/// row holding it is reported.
std::string utf16_to_utf8(std::string_view bytes, bool little_endian) {
    std::string out;
    out.reserve(bytes.size());
    const auto unit = [&](std::size_t i) -> char32_t {
        const auto lo = static_cast<unsigned char>(bytes[little_endian ? i : i + 1]);
        const auto hi = static_cast<unsigned char>(bytes[little_endian ? i + 1 : i]);
        return static_cast<char32_t>(hi << 8 | lo);
    };
    std::size_t i = 0;
    for (; i + 1 < bytes.size(); i += 2) {
        const char32_t u = unit(i);
        if (u >= 0xD800 && u < 0xDC00 && i + 3 < bytes.size()) {
            const char32_t next = unit(i + 2);
            if (next >= 0xDC00 && next < 0xE000) {
                escape::append_utf8(out, 0x10000 + ((u - 0xD800) << 10) + (next - 0xDC00));
                i += 2;
                continue;
            }
        }
        if (u >= 0xD800 && u < 0xE000)
            out += '\xFF';
        else
            escape::append_utf8(out, u);
    }
    if (i < bytes.size()) out += '\xFF';  // an odd byte at the end
    return out;
}

/// The file's text as UTF-8, BOM removed where the encoding says so, and Python's universal
/// newlines applied ("\r\n" and "\r" read as "\n").
std::string decode_csv(std::string_view bytes, Encoding encoding, std::string& encoding_name) {
    if (encoding == Encoding::detect) {
        const bool utf16_bom = bytes.starts_with("\xFF\xFE") || bytes.starts_with("\xFE\xFF");
        encoding = utf16_bom ? Encoding::utf16 : Encoding::utf8_sig;
    }
    std::string text;
    switch (encoding) {
        case Encoding::utf8:
            encoding_name = "utf-8";
            text = bytes;
            break;
        case Encoding::utf8_sig:
            encoding_name = "utf-8";
            text = bytes.starts_with("\xEF\xBB\xBF") ? bytes.substr(3) : bytes;
            break;
        case Encoding::utf16: {
            encoding_name = "utf-16";
            // Without a BOM Python's "utf-16" reads little-endian, the byte order of this machine.
            const bool big = bytes.starts_with("\xFE\xFF");
            const bool bom = big || bytes.starts_with("\xFF\xFE");
            text = utf16_to_utf8(bytes.substr(bom ? 2 : 0), !big);
            break;
        }
        case Encoding::utf16_le:
            encoding_name = "utf-16-le";
            text = utf16_to_utf8(bytes, true);
            break;
        case Encoding::utf16_be:
            encoding_name = "utf-16-be";
            text = utf16_to_utf8(bytes, false);
            break;
        case Encoding::detect:
            break;
    }
    std::string out;
    out.reserve(text.size());
    for (std::size_t i = 0; i < text.size(); ++i) {
        if (text[i] != '\r')
            out += text[i];
        else {
            out += '\n';
            if (i + 1 < text.size() && text[i + 1] == '\n') ++i;
        }
    }
    return out;
}

struct CsvRow {
    std::vector<std::string> cells;
    std::size_t line = 0;  // the line it starts on
};

/// Python's csv.reader in the "excel" dialect (not strict), over text whose lines end in "\n".
std::vector<CsvRow> parse_csv(std::string_view text) {
    enum Phase {
        start_record,
        start_field,
        in_field,
        in_quoted_field,
        quote_in_quoted_field,
        eat_crnl
    };
    std::vector<CsvRow> rows;
    Phase state = start_record;
    CsvRow row;
    std::string field;
    bool field_started = false;  // Python's field_len != 0, or the field was quoted
    const auto save_field = [&] {
        row.cells.push_back(std::move(field));
        field.clear();
        field_started = false;
    };
    constexpr int eol = -1;
    const auto process = [&](int c) {
        switch (state) {
            case start_record:
                if (c == eol) return;
                if (c == '\n') {
                    state = eat_crnl;
                    return;
                }
                state = start_field;
                [[fallthrough]];
            case start_field:
                if (c == '\n' || c == eol) {
                    save_field();
                    state = c == eol ? start_record : eat_crnl;
                } else if (c == '"') {
                    state = in_quoted_field;
                } else if (c == ',') {
                    save_field();
                } else {
                    field += static_cast<char>(c);
                    field_started = true;
                    state = in_field;
                }
                return;
            case in_field:
                if (c == '\n' || c == eol) {
                    save_field();
                    state = c == eol ? start_record : eat_crnl;
                } else if (c == ',') {
                    save_field();
                    state = start_field;
                } else {
                    field += static_cast<char>(c);
                    field_started = true;
                }
                return;
            case in_quoted_field:
                if (c == eol) return;
                if (c == '"')
                    state = quote_in_quoted_field;
                else {
                    field += static_cast<char>(c);
                    field_started = true;
                }
                return;
            case quote_in_quoted_field:
                if (c == '"') {
                    field += '"';
                    field_started = true;
                    state = in_quoted_field;
                } else if (c == ',') {
                    save_field();
                    state = start_field;
                } else if (c == '\n' || c == eol) {
                    save_field();
                    state = c == eol ? start_record : eat_crnl;
                } else {  // `"ab"cd` reads as abcd outside strict mode
                    field += static_cast<char>(c);
                    field_started = true;
                    state = in_field;
                }
                return;
            case eat_crnl:
                if (c == eol) state = start_record;
                return;
        }
    };
    std::size_t line = 0, pos = 0;
    while (pos < text.size()) {
        const std::size_t newline = text.find('\n', pos);
        const std::size_t end = newline == std::string_view::npos ? text.size() : newline + 1;
        ++line;
        if (state == start_record && row.cells.empty()) row.line = line;
        for (std::size_t i = pos; i < end; ++i)
            process(static_cast<unsigned char>(text[i]));
        process(eol);
        if (state == start_record) {
            rows.push_back(std::move(row));
            row = CsvRow{};
        }
        pos = end;
    }
    if (field_started ||
        state == in_quoted_field) {  // end of file inside a field: keep what we have
        save_field();
        rows.push_back(std::move(row));
    }
    return rows;
}

bool is_csv_locale_code(std::string_view code) {  // [a-z]+(_[A-Z]+)?
    const std::size_t split = code.find('_');
    const std::string_view language = code.substr(0, split);
    if (language.empty() ||
        !std::all_of(language.begin(), language.end(), [](char c) { return c >= 'a' && c <= 'z'; }))
        return false;
    if (split == std::string_view::npos) return true;
    const std::string_view territory = code.substr(split + 1);
    return !territory.empty() && std::all_of(territory.begin(), territory.end(),
                                             [](char c) { return c >= 'A' && c <= 'Z'; });
}

std::shared_ptr<const Translations> load_csv_file(const fs::path& path, Encoding encoding) {
    std::string error;
    const auto bytes = read_whole_file(path, error);
    if (!bytes) {
        log::gen_log.error("Cannot read translation file " + path.string() + ": " + error);
        return nullptr;
    }
    std::string encoding_name;
    const std::string text = decode_csv(*bytes, encoding, encoding_name);
    CsvCatalog catalog;
    for (CsvRow& row : parse_csv(text)) {
        const std::string where = path.string() + " line " + std::to_string(row.line);
        if (row.cells.size() < 2) {
            if (row.cells.size() == 1 && !escape::detail::strip_unicode(row.cells[0]).empty())
                log::gen_log.warning("Row with a single column skipped in " + where);
            continue;
        }
        if (!std::all_of(row.cells.begin(), row.cells.end(),
                         [](const std::string& c) { return escape::is_valid_utf8(c); })) {
            log::gen_log.error("Text that is not valid " + encoding_name + " skipped in " + where);
            continue;
        }
        const std::string english(escape::detail::strip_unicode(row.cells[0]));
        std::string translation(escape::detail::strip_unicode(row.cells[1]));
        std::string plural = row.cells.size() > 2
                                 ? std::string(escape::detail::strip_unicode(row.cells[2]))
                                 : std::string();
        if (plural.empty()) plural = "unknown";
        auto* dictionary = plural == "unknown"    ? &catalog.unknown
                           : plural == "singular" ? &catalog.singular
                           : plural == "plural"   ? &catalog.plural
                                                  : nullptr;
        if (!dictionary) {
            log::gen_log.error("Unrecognized plural indicator " +
                               escape::detail::python_repr(plural) + " in " + where);
            continue;
        }
        dictionary->insert_or_assign(english, std::move(translation));
    }
    return std::make_shared<const Translations>(std::move(catalog));
}

// ---------------------------------------------------------------------------------------------
// gettext .mo files, read as Python's gettext.GNUTranslations reads them.

enum class Charset { ascii, utf8, latin1 };

Charset parse_charset(std::string_view name) {
    std::string key = escape::detail::ascii_lower(escape::detail::strip_unicode(name));
    std::replace(key.begin(), key.end(), '-', '_');
    std::replace(key.begin(), key.end(), ' ', '_');
    if (key == "utf_8" || key == "utf8" || key == "u8" || key == "utf" || key == "cp65001")
        return Charset::utf8;
    if (key == "ascii" || key == "us_ascii" || key == "646" || key == "us" ||
        key == "ansi_x3.4_1968" || key == "iso646_us" || key == "ansi_x3_4_1968" ||
        key == "cp367" || key == "csascii" || key == "ibm367" || key == "iso_646.irv_1991" ||
        key == "iso_ir_6")
        return Charset::ascii;
    if (key == "latin_1" || key == "latin1" || key == "l1" || key == "iso_8859_1" ||
        key == "iso8859_1" || key == "8859" || key == "cp819" || key == "latin" ||
        key == "iso_ir_100" || key == "iso8859" || key == "iso_8859_1:1987" || key == "ibm819" ||
        key == "csisolatin1")
        return Charset::latin1;
    throw Error("unknown encoding: " + std::string(name));
}

std::string decode_charset(std::string_view bytes, Charset charset) {
    switch (charset) {
        case Charset::utf8:
            if (!escape::is_valid_utf8(bytes)) throw Error("text that is not valid utf-8");
            return std::string(bytes);
        case Charset::ascii:
            for (const char c : bytes)
                if (static_cast<unsigned char>(c) >= 0x80)
                    throw Error("text that is not valid ascii (no charset given)");
            return std::string(bytes);
        case Charset::latin1: {
            std::string out;
            for (const char c : bytes)
                escape::append_utf8(out, static_cast<unsigned char>(c));
            return out;
        }
    }
    return {};
}

std::shared_ptr<const MoCatalog> parse_mo(const std::string& buf, const std::string& path) {
    const std::size_t size = buf.size();
    const auto word = [&](std::size_t at, bool little) -> std::uint32_t {
        if (at + 4 > size) throw Error("unpack requires a buffer of 8 bytes");
        const auto* p = reinterpret_cast<const unsigned char*>(buf.data() + at);
        return little ? std::uint32_t{p[0]} | std::uint32_t{p[1]} << 8 | std::uint32_t{p[2]} << 16 |
                            std::uint32_t{p[3]} << 24
                      : std::uint32_t{p[3]} | std::uint32_t{p[2]} << 8 | std::uint32_t{p[1]} << 16 |
                            std::uint32_t{p[0]} << 24;
    };
    if (size < 4) throw Error("Bad magic number: '" + path + "'");
    bool little = true;
    if (word(0, true) == 0x950412de)
        little = true;
    else if (word(0, false) == 0x950412de)
        little = false;
    else
        throw Error("Bad magic number: '" + path + "'");
    if (size < 20) throw Error("unpack requires a buffer of 16 bytes");
    const std::uint32_t version = word(4, little), count = word(8, little);
    std::size_t masters = word(12, little), translations = word(16, little);
    if ((version >> 16) > 1)
        throw Error("Bad version number " + std::to_string(version >> 16) + ": '" + path + "'");

    auto catalog = std::make_shared<MoCatalog>();
    std::optional<Charset> charset;
    for (std::uint32_t i = 0; i < count; ++i, masters += 8, translations += 8) {
        const std::size_t mlen = word(masters, little), moff = word(masters + 4, little);
        const std::size_t tlen = word(translations, little), toff = word(translations + 4, little);
        // Python accepts a string only if it ends before the last byte (msgfmt always
        // NUL-terminates).
        if (!(moff + mlen < size && toff + tlen < size))
            throw Error("File is corrupt: '" + path + "'");
        const std::string_view msg(buf.data() + moff, mlen), tmsg(buf.data() + toff, tlen);
        if (mlen == 0) {  // the header entry
            std::size_t start = 0;
            while (start <= tmsg.size()) {
                const std::size_t end = std::min(tmsg.find('\n', start), tmsg.size());
                const std::string_view raw = tmsg.substr(start, end - start);
                start = end + 1;
                if (!escape::is_valid_utf8(raw)) throw Error("header line that is not valid utf-8");
                const std::string_view item = escape::detail::strip_unicode(raw);
                if (item.empty()) continue;
                if (item.starts_with("#-#-#-#-#") && item.ends_with("#-#-#-#-#")) continue;
                const std::size_t colon = item.find(':');
                if (colon == std::string_view::npos) continue;
                const std::string key = escape::detail::ascii_lower(
                    escape::detail::strip_unicode(item.substr(0, colon)));
                const std::string_view value =
                    escape::detail::strip_unicode(item.substr(colon + 1));
                if (key == "content-type") {
                    const std::size_t at = value.find("charset=");
                    if (at == std::string_view::npos) throw Error("Content-Type without charset=");
                    std::string_view name = value.substr(at + 8);
                    name = name.substr(0, name.find("charset="));  // Python takes split()[1]
                    charset = parse_charset(name);
                } else if (key == "plural-forms") {
                    const std::size_t semicolon = value.find(';');
                    if (semicolon == std::string_view::npos)
                        throw Error("Plural-Forms without ';'");
                    std::string_view second = value.substr(semicolon + 1);
                    second = second.substr(0, second.find(';'));
                    const std::size_t at = second.find("plural=");
                    if (at == std::string_view::npos) throw Error("Plural-Forms without plural=");
                    std::string_view expression = second.substr(at + 7);
                    expression = expression.substr(0, expression.find("plural="));
                    catalog->plural = PluralExpression::parse(expression);
                }
            }
        }
        const Charset decode_as = charset.value_or(Charset::ascii);
        if (const std::size_t nul = msg.find('\0'); nul != std::string_view::npos) {
            if (msg.find('\0', nul + 1) != std::string_view::npos)
                throw Error("too many values to unpack (expected 2)");
            std::string msgid = decode_charset(msg.substr(0, nul), decode_as);
            auto& forms = catalog->plurals[std::move(msgid)];
            std::size_t form = 0, begin = 0;
            while (true) {
                const std::size_t end = std::min(tmsg.find('\0', begin), tmsg.size());
                std::string text = decode_charset(tmsg.substr(begin, end - begin), decode_as);
                if (form < forms.size())
                    forms[form] = std::move(text);
                else
                    forms.push_back(std::move(text));
                ++form;
                if (end == tmsg.size()) break;
                begin = end + 1;
            }
        } else {
            catalog->messages.insert_or_assign(decode_charset(msg, decode_as),
                                               decode_charset(tmsg, decode_as));
        }
    }
    return catalog;
}

/// Python's locale.normalize() for plain names ("fr" -> "fr_FR.ISO8859-1", "pt_br" ->
/// "pt_BR.ISO8859-1"); names holding '.', '@' or ':' are kept as they are (Python would also
/// rewrite their encoding part).
std::string normalize_locale_name(const std::string& name) {
    if (name.find_first_of(".@:") != std::string::npos) return name;
    const std::string_view alias = detail::locale_alias(escape::detail::ascii_lower(name));
    return alias.empty() ? name : std::string(alias);
}

/// gettext's _expand_lang: the normalised name, then without codeset, territory or modifier,
/// most specific first. "pt_BR" -> pt_BR.ISO8859-1, pt_BR, pt.ISO8859-1, pt; "fr" ->
/// fr_FR.ISO8859-1, fr_FR, fr.ISO8859-1, fr (so fr_FR's catalogue comes before fr's when both
/// exist, as in Python).
std::vector<std::string> expand_language(std::string code) {
    code = normalize_locale_name(code);
    std::string modifier, codeset, territory;
    if (const auto at = code.find('@'); at != std::string::npos) {
        modifier = code.substr(at);
        code.resize(at);
    }
    if (const auto dot = code.find('.'); dot != std::string::npos) {
        codeset = code.substr(dot);
        code.resize(dot);
    }
    if (const auto underscore = code.find('_'); underscore != std::string::npos) {
        territory = code.substr(underscore);
        code.resize(underscore);
    }
    const unsigned mask =
        (territory.empty() ? 0u : 2u) | (codeset.empty() ? 0u : 1u) | (modifier.empty() ? 0u : 4u);
    std::vector<std::string> out;
    for (unsigned i = mask + 1; i-- > 0;) {
        if (i & ~mask) continue;
        std::string value = code;
        if (i & 2u) value += territory;
        if (i & 1u) value += codeset;
        if (i & 4u) value += modifier;
        out.push_back(std::move(value));
    }
    return out;
}

}  // namespace

void load_translations(const fs::path& directory, const LoadTranslationsOptions& options) {
    const Encoding encoding = parse_encoding(options.encoding);
    std::error_code ec;
    fs::directory_iterator it(directory, ec);
    if (ec)
        throw Error("load_translations: cannot list " + directory.string() + ": " + ec.message());
    std::vector<fs::path> files;
    for (const auto& entry : it)
        files.push_back(entry.path());
    std::sort(files.begin(), files.end());

    std::map<std::string, std::shared_ptr<const Translations>, std::less<>> translations;
    for (const fs::path& path : files) {
        const std::string name = path.filename().string();
        if (!name.ends_with(".csv")) continue;
        const std::string code = name.substr(0, name.size() - 4);
        if (code.find('.') != std::string::npos || !is_csv_locale_code(code)) {
            log::gen_log.error("Unrecognized locale " + escape::detail::python_repr(code) +
                               " (path: " + path.string() + ")");
            continue;
        }
        if (auto catalog = load_csv_file(path, encoding)) translations[code] = std::move(catalog);
    }
    replace_translations(std::move(translations));
}

void load_gettext_translations(const fs::path& directory, std::string_view domain) {
    const std::string filename = std::string(domain) + ".mo";
    std::vector<std::string> languages;
    std::error_code ec;
    for (fs::directory_iterator it(directory, ec), end; !ec && it != end; it.increment(ec)) {
        const std::string name = it->path().filename().string();
        if (!name.starts_with(".") && fs::exists(it->path() / "LC_MESSAGES" / filename, ec))
            languages.push_back(name);
    }
    std::sort(languages.begin(), languages.end());

    std::map<std::string, std::shared_ptr<const MoCatalog>> parsed;  // each file once per load
    std::map<std::string, std::shared_ptr<const Translations>, std::less<>> translations;
    for (const std::string& language : languages) {
        try {
            GettextChain chain;
            for (const std::string& candidate : expand_language(language)) {
                if (candidate == "C") break;  // gettext stops at the C locale
                const fs::path file = directory / candidate / "LC_MESSAGES" / filename;
                if (!fs::exists(file, ec)) continue;
                auto& catalog = parsed[file.string()];
                if (!catalog) {
                    std::string error;
                    const auto bytes = read_whole_file(file, error);
                    if (!bytes) throw Error(error + ": '" + file.string() + "'");
                    catalog = parse_mo(*bytes, file.string());
                }
                chain.catalogs.push_back(catalog);
            }
            if (chain.catalogs.empty())  // e.g. "pt_br", which Python normalises to pt_BR
                throw Error("[Errno 2] No translation file found for domain: " +
                            escape::detail::python_repr(domain));
            translations[language] = std::make_shared<const Translations>(std::move(chain));
        } catch (const Error& e) {
            log::gen_log.error("Cannot load translation for " +
                               escape::detail::python_repr(language) + ": " + e.what());
        }
    }
    replace_translations(std::move(translations));
}

std::vector<std::string> get_supported_locales() {
    const auto state = current_state().load();
    std::vector<std::string> codes;
    for (const auto& entry : state->locales)
        codes.push_back(entry.first);
    return codes;
}

void set_default_locale(std::string_view code) {
    const std::lock_guard lock(writer_mutex());
    const auto old = current_state().load();
    current_state().store(make_state(std::string(code), old->translations));
}

Locale get(std::initializer_list<std::string_view> codes) {
    return closest(codes);
}
Locale get(std::span<const std::string> codes) {
    return closest(codes);
}

Locale Locale::get(std::string_view code) {
    const auto state = current_state().load();
    const auto found = state->locales.find(code);
    if (found == state->locales.end())
        throw Error("Locale::get: unsupported locale " + escape::detail::python_repr(code));
    return found->second;
}

Locale Locale::get_closest(std::initializer_list<std::string_view> codes) {
    return closest(codes);
}
Locale Locale::get_closest(std::span<const std::string_view> codes) {
    return closest(codes);
}
Locale Locale::get_closest(std::span<const std::string> codes) {
    return closest(codes);
}

}  // namespace typhoon::locale
