#ifndef TYPHOON_WEB_STATIC_FILE_HANDLER_HPP
#define TYPHOON_WEB_STATIC_FILE_HANDLER_HPP

#include <typhoon/web/request_handler.hpp>

#include <chrono>
#include <cstdint>
#include <filesystem>
#include <optional>
#include <string>

namespace typhoon::web {

/** Serves the files under a directory (tornado.web.StaticFileHandler); the route's first group is
    the path inside it. The Application adds one for `static_path` at `static_url_prefix`, and for
    /favicon.ico and /robots.txt, as Tornado does.

        url<StaticFileHandler>(R"(/files/(.*))", {}, "/var/www", "index.html")

    What Tornado does, byte for byte: an Etag from the SHA-512 of the content (the `?v=` of
    static_url()), Last-Modified, 304 for If-None-Match or If-Modified-Since, single `Range`
    requests (206 with Content-Range, 416 with `bytes * /size`), ten years of caching for
    versioned URLs, HEAD, MIME types by extension. Large files are sent in 64 KiB pieces, each
    awaited, so memory stays bounded. Paths that leave the directory (`..`, `%2e%2e`, absolute
    paths, symbolic links pointing outside) are refused with 403, where Tornado would follow a
    symbolic link; a path with a NUL answers 400. A directory is redirected to its path with a
    "/" added only when that is a path of this site (is_local_path()): a request path starting
    `//` answers 403 there, never a redirect to another host. The Etag's hash is computed
    reading 64 KiB at a time (Application::static_version()). */
class StaticFileHandler : public RequestHandler {
public:
    /// Made by the Application for each request, as every handler is.
    using RequestHandler::RequestHandler;
    /// `root`: the directory; `default_filename`: served for a directory ("index.html").
    void initialize(std::string root, std::optional<std::string> default_filename = {});
    ///@{
    /// Sends the file, or part of it, or a 304; head() sends the same headers without the body.
    /// A path outside the root answers 403, a missing file 404.
    awaitable<void> get() override;
    awaitable<void> head() override;
    ///@}
    std::optional<std::string> compute_etag() const override;

    /// Add headers for `path` (e.g. CORS) after the standard ones.
    virtual void set_extra_headers(const std::string& path);
    /// Seconds the client may cache `path`: ten years when the URL is versioned (`?v=`), else 0.
    virtual std::int64_t get_cache_time(const std::string& path) const;

private:
    awaitable<void> serve(bool include_body);
    bool should_return_304() const;

    std::filesystem::path root_;
    std::optional<std::string> default_filename_;
    std::filesystem::path absolute_path_;
    std::chrono::system_clock::time_point modified_{};
};

/// The MIME type Python's mimetypes gives a file name ("application/octet-stream" when unknown;
/// "application/gzip" for .gz, as Tornado answers).
std::string guess_content_type(const std::string& file_name);

}  // namespace typhoon::web

#endif
