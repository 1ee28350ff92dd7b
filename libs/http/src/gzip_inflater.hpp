#ifndef TYPHOON_HTTP_SRC_GZIP_INFLATER_HPP
#define TYPHOON_HTTP_SRC_GZIP_INFLATER_HPP

#include <zlib.h>

#include <optional>
#include <string_view>

namespace typhoon::httpserver::detail {

/** Decompresses a gzip request body piece by piece (Tornado's GzipDecompressor for
    `decompress_request`): give it compressed bytes with input(), then take pieces of at most
    16 KiB with next(), so that a small bomb never becomes a big buffer. */
class GzipInflater {
public:
    GzipInflater();
    ~GzipInflater();
    GzipInflater(const GzipInflater&) = delete;
    GzipInflater& operator=(const GzipInflater&) = delete;

    /// The next compressed bytes; they must stay valid until next() returns std::nullopt.
    void input(std::string_view compressed) noexcept;
    /** The next decompressed piece (valid until the next call), or std::nullopt once the input
        is used up. Bytes after the end of the gzip stream are ignored.
        @throws std::invalid_argument when the input is not valid gzip. */
    std::optional<std::string_view> next();
    /// Whether any compressed byte has been given.
    bool started() const noexcept { return stream_.total_in > 0 || stream_.avail_in > 0; }
    /// Whether the end of the gzip stream (its trailer) has been read: until then, the body is
    /// incomplete.
    bool finished() const noexcept { return finished_; }

private:
    z_stream stream_{};
    bool finished_ = false;
    char out_[16 * 1024];
};

}  // namespace typhoon::httpserver::detail

#endif
