#include <typhoon/web/static_file_handler.hpp>

#include <typhoon/web/application.hpp>
#include <typhoon/web/http_error.hpp>
#include <typhoon/web/local_redirect.hpp>

#include <typhoon/core/detail/strings.hpp>
#include <typhoon/http/timestamp.hpp>

#include <sys/stat.h>

#include <algorithm>
#include <array>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <fstream>
#include <utility>

namespace typhoon::web {

namespace fs = std::filesystem;

namespace {

constexpr std::size_t chunk_size = 64 * 1024;
constexpr std::int64_t ten_years = 86400LL * 365 * 10;

// Python 3.11's built-in mimetypes table for the types the web serves; Tornado asks it.
constexpr std::array<std::pair<std::string_view, std::string_view>, 34> mime_types{{
    {".avif", "image/avif"},
    {".css", "text/css"},
    {".csv", "text/csv"},
    {".gif", "image/gif"},
    {".htm", "text/html"},
    {".html", "text/html"},
    {".ico", "image/vnd.microsoft.icon"},
    {".jpeg", "image/jpeg"},
    {".jpg", "image/jpeg"},
    {".js", "text/javascript"},
    {".json", "application/json"},
    {".md", "text/markdown"},
    {".mjs", "text/javascript"},
    {".mp3", "audio/mpeg"},
    {".mp4", "video/mp4"},
    {".ogg", "audio/ogg"},
    {".otf", "font/otf"},
    {".pdf", "application/pdf"},
    {".png", "image/png"},
    {".svg", "image/svg+xml"},
    {".tar", "application/x-tar"},
    {".ttf", "font/ttf"},
    {".txt", "text/plain"},
    {".wasm", "application/wasm"},
    {".wav", "audio/x-wav"},
    {".webm", "video/webm"},
    {".webp", "image/webp"},
    {".woff", "font/woff"},
    {".woff2", "font/woff2"},
    {".xml", "application/xml"},
    {".zip", "application/zip"},
    {".tgz", "application/gzip"},
    {".svgz", "image/svg+xml"},
    {".xhtml", "application/xhtml+xml"},
}};

// Tornado's _parse_request_range: "bytes=a-b" → [a, b+1), "bytes=-n" → the last n bytes.
// std::nullopt when the header is not a single byte range it understands (then it is ignored).
std::optional<std::pair<std::optional<std::int64_t>, std::optional<std::int64_t>>> parse_range(
    std::string_view header) {
    const auto equals = header.find('=');
    if (equals == std::string_view::npos ||
        escape::detail::strip(header.substr(0, equals)) != "bytes")
        return std::nullopt;
    const auto value = escape::detail::strip(header.substr(equals + 1));
    const auto dash = value.find('-');
    const auto number = [&](std::string_view text) -> std::optional<std::optional<std::int64_t>> {
        text = escape::detail::strip(text);
        if (text.empty()) return std::optional<std::int64_t>{};
        if (text.size() > 18 || text.find_first_not_of("0123456789") != std::string_view::npos)
            return std::nullopt;
        return std::optional<std::int64_t>(std::stoll(std::string(text)));
    };
    const auto start = number(value.substr(0, dash));
    const auto end =
        number(dash == std::string_view::npos ? std::string_view() : value.substr(dash + 1));
    if (!start || !end) return std::nullopt;
    std::optional<std::int64_t> first = *start, last = *end;
    if (last) {
        if (!first) {
            if (*last != 0) {
                first = -*last;
                last.reset();
            }
        } else {
            *last += 1;
        }
    }
    return std::pair{first, last};
}

std::optional<std::chrono::system_clock::time_point> parse_http_date(const std::string& text) {
    std::tm parts{};
    char weekday[4] = {}, month[4] = {};
    int day = 0, year = 0, hour = 0, minute = 0, second = 0;
    if (std::sscanf(text.c_str(), "%3s, %d %3s %d %d:%d:%d", weekday, &day, month, &year, &hour,
                    &minute, &second) != 7)
        return std::nullopt;
    static constexpr std::string_view months = "JanFebMarAprMayJunJulAugSepOctNovDec";
    const auto at = months.find(month);
    if (at == std::string_view::npos || at % 3 != 0) return std::nullopt;
    parts.tm_year = year - 1900;
    parts.tm_mon = static_cast<int>(at / 3);
    parts.tm_mday = day;
    parts.tm_hour = hour;
    parts.tm_min = minute;
    parts.tm_sec = second;
    return std::chrono::system_clock::from_time_t(timegm(&parts));
}

}  // namespace

std::string guess_content_type(const std::string& file_name) {
    std::string lower = file_name;
    std::transform(lower.begin(), lower.end(), lower.begin(),
                   [](unsigned char c) { return static_cast<char>(std::tolower(c)); });
    if (lower.ends_with(".gz")) return "application/gzip";
    if (lower.ends_with(".bz2") || lower.ends_with(".xz") || lower.ends_with(".br"))
        return "application/octet-stream";  // a compressed file of another encoding
    const auto dot = lower.rfind('.');
    if (dot != std::string::npos) {
        const std::string_view extension = std::string_view(lower).substr(dot);
        for (const auto& [known, type] : mime_types)
            if (known == extension) return std::string(type);
    }
    return "application/octet-stream";
}

void StaticFileHandler::initialize(std::string root, std::optional<std::string> default_filename) {
    root_ = fs::absolute(root).lexically_normal();
    default_filename_ = std::move(default_filename);
}

awaitable<void> StaticFileHandler::get() {
    co_await serve(true);
}

awaitable<void> StaticFileHandler::head() {
    co_await serve(false);
}

std::optional<std::string> StaticFileHandler::compute_etag() const {
    const auto version = application().static_version(absolute_path_.string());
    if (version.empty()) return std::nullopt;
    return '"' + version + '"';
}

void StaticFileHandler::set_extra_headers(const std::string&) {}

std::int64_t StaticFileHandler::get_cache_time(const std::string&) const {
    return request().query_arguments.contains("v") ? ten_years : 0;
}

bool StaticFileHandler::should_return_304() const {
    if (!request().headers.get("If-None-Match", "").empty()) return check_etag_header();
    const auto since = request().headers.get("If-Modified-Since");
    if (!since) return false;
    const auto when = parse_http_date(*since);
    return when && *when >= modified_;
}

awaitable<void> StaticFileHandler::serve(bool include_body) {
    const std::string& path = path_args().at(0);
    // The C library would end the file name at a NUL and open another file than the one named
    // (Application refuses such paths first; a handler made another way must not rely on it).
    if (path.find('\0') != std::string::npos) throw HTTPError(400, "NUL in static path");
    const fs::path wanted = (root_ / path).lexically_normal();
    const auto inside = [this](const fs::path& candidate) {
        const auto relative = candidate.lexically_relative(root_);
        return !relative.empty() && *relative.begin() != "..";
    };
    if (!inside(wanted) && wanted != root_)
        throw HTTPError(403, path + " is not in root static directory");
    std::error_code error;
    fs::path absolute = wanted;
    if (fs::is_directory(absolute, error) && default_filename_) {
        if (!request().path.ends_with("/")) {
            // `//evil.example/../<root>/dir` names a directory of the root, but the redirect to
            // the path plus "/" would be a network-path reference (RFC 3986 §4.2) to another
            // site.
            if (!is_local_path(request().path))
                throw HTTPError(403, "cannot redirect path with two initial slashes");
            redirect(request().path + "/", {.permanent = true});
            co_return;
        }
        absolute /= *default_filename_;
    }
    if (!fs::exists(absolute, error)) throw HTTPError(404);
    // A symbolic link may point anywhere: what counts is where it leads.
    const fs::path real = fs::canonical(absolute, error);
    const fs::path real_root = fs::canonical(root_, error);
    if (error || real.lexically_relative(real_root).empty() ||
        *real.lexically_relative(real_root).begin() == "..")
        throw HTTPError(403, path + " is not in root static directory");
    if (!fs::is_regular_file(real, error)) throw HTTPError(403, path + " is not a file");
    absolute_path_ = absolute;

    const auto size = static_cast<std::int64_t>(fs::file_size(real, error));
    if (error) throw HTTPError(404);
    struct stat status {};
    if (::stat(real.c_str(), &status) != 0) throw HTTPError(404);
    modified_ = std::chrono::system_clock::from_time_t(status.st_mtime);  // whole seconds, as HTTP

    set_header("Accept-Ranges", "bytes");
    set_etag_header();
    set_header("Last-Modified", modified_);
    set_header("Content-Type", guess_content_type(absolute.filename().string()));
    if (const auto cache_time = get_cache_time(path); cache_time > 0) {
        set_header("Expires", std::chrono::system_clock::now() + std::chrono::seconds(cache_time));
        set_header("Cache-Control", "max-age=" + std::to_string(cache_time));
    }
    set_extra_headers(path);

    if (should_return_304()) {
        set_status(304);
        co_return;
    }

    std::optional<std::int64_t> start, end;
    if (const auto range_header = request().headers.get("Range")) {
        if (const auto range = parse_range(*range_header)) {
            std::tie(start, end) = *range;
            if (start && *start < 0) start = std::max<std::int64_t>(*start + size, 0);
            if ((start && (*start >= size || (end && *start >= *end))) || (end && *end == 0)) {
                set_status(416);
                set_header("Content-Type", "text/plain");
                set_header("Content-Range", "bytes */" + std::to_string(size));
                co_return;
            }
            if (end && *end > size) end = size;
            if (size != end.value_or(size) - start.value_or(0)) {
                set_status(206);
                set_header("Content-Range", "bytes " + std::to_string(start.value_or(0)) + "-" +
                                                std::to_string(end.value_or(size) - 1) + "/" +
                                                std::to_string(size));
            }
        }
    }
    const std::int64_t first = start.value_or(0);
    const std::int64_t length = end.value_or(size) - first;
    set_header("Content-Length", length);
    if (!include_body) co_return;

    std::ifstream file(real, std::ios::binary);
    if (!file) throw HTTPError(403, path + " cannot be read");
    file.seekg(first);
    std::string chunk;
    for (std::int64_t left = length; left > 0;) {
        chunk.resize(static_cast<std::size_t>(std::min<std::int64_t>(left, chunk_size)));
        file.read(chunk.data(), static_cast<std::streamsize>(chunk.size()));
        if (file.gcount() != static_cast<std::streamsize>(chunk.size()))
            throw std::runtime_error("static file " + path + " shrank while being sent");
        left -= static_cast<std::int64_t>(chunk.size());
        write(chunk);
        co_await flush();  // one piece in memory at a time, at the client's pace
    }
}

}  // namespace typhoon::web
