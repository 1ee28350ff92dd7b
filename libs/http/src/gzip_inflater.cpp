#include "gzip_inflater.hpp"

#include <new>
#include <stdexcept>

namespace typhoon::httpserver::detail {

GzipInflater::GzipInflater() {
    // 16 + MAX_WBITS: a gzip wrapper, not a raw or zlib one (RFC 1952, as Content-Encoding: gzip).
    if (inflateInit2(&stream_, 16 + MAX_WBITS) != Z_OK) throw std::bad_alloc();
}

GzipInflater::~GzipInflater() {
    inflateEnd(&stream_);
}

void GzipInflater::input(std::string_view compressed) noexcept {
    stream_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(compressed.data()));
    stream_.avail_in = static_cast<uInt>(compressed.size());
}

std::optional<std::string_view> GzipInflater::next() {
    while (!finished_ && stream_.avail_in > 0) {
        stream_.next_out = reinterpret_cast<Bytef*>(out_);
        stream_.avail_out = sizeof out_;
        const int status = inflate(&stream_, Z_NO_FLUSH);
        if (status == Z_STREAM_END)
            finished_ = true;
        else if (status != Z_OK && status != Z_BUF_ERROR)
            throw std::invalid_argument("invalid gzip body");
        const std::size_t produced = sizeof out_ - stream_.avail_out;
        if (produced > 0) return std::string_view(out_, produced);
        if (status == Z_BUF_ERROR) break;  // it needs more input than there is
    }
    return std::nullopt;
}

}  // namespace typhoon::httpserver::detail
