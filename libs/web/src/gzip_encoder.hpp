#ifndef TYPHOON_WEB_SRC_GZIP_ENCODER_HPP
#define TYPHOON_WEB_SRC_GZIP_ENCODER_HPP

#include <string>
#include <string_view>

typedef struct z_stream_s z_stream;

namespace typhoon::web::detail {

/** Compresses one response body into the gzip format, piece by piece: each piece comes out
    flushed (the client can decode what it has so far), the last one with the gzip trailer. */
class GzipEncoder {
public:
    explicit GzipEncoder(int level = 6);
    ~GzipEncoder();
    GzipEncoder(const GzipEncoder&) = delete;
    GzipEncoder& operator=(const GzipEncoder&) = delete;

    std::string compress(std::string_view piece, bool last);

private:
    z_stream* stream_;
};

}  // namespace typhoon::web::detail

#endif
