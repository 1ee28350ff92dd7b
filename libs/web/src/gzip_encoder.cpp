#include "gzip_encoder.hpp"

#include <zlib.h>

#include <stdexcept>

namespace typhoon::web::detail {

GzipEncoder::GzipEncoder(int level) : stream_(new z_stream{}) {
    // 15 bits of window, +16 for the gzip header and trailer instead of zlib's.
    if (deflateInit2(stream_, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK) {
        delete stream_;
        throw std::runtime_error("zlib cannot start a gzip stream");
    }
}

GzipEncoder::~GzipEncoder() {
    deflateEnd(stream_);
    delete stream_;
}

std::string GzipEncoder::compress(std::string_view piece, bool last) {
    std::string out;
    stream_->next_in = reinterpret_cast<Bytef*>(const_cast<char*>(piece.data()));
    stream_->avail_in = static_cast<uInt>(piece.size());
    char buffer[16 * 1024];
    int status = Z_OK;
    do {
        stream_->next_out = reinterpret_cast<Bytef*>(buffer);
        stream_->avail_out = sizeof buffer;
        status = deflate(stream_, last ? Z_FINISH : Z_SYNC_FLUSH);
        if (status == Z_STREAM_ERROR) throw std::runtime_error("zlib failed to compress");
        out.append(buffer, sizeof buffer - stream_->avail_out);
    } while (stream_->avail_out == 0 || (last && status != Z_STREAM_END));
    return out;
}

}  // namespace typhoon::web::detail
