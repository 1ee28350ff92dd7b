// compress_response: Tornado's GZipContentEncoding (RequestHandler with the setting on).
#include <typhoon/web.hpp>

#include "web_test_case.hpp"

#include <zlib.h>

#include <boost/test/unit_test.hpp>

using namespace typhoon;
using namespace web_test;

namespace {

std::string gunzip(const std::string& data) {
    z_stream stream{};
    inflateInit2(&stream, 15 + 16);
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    std::string out;
    char buffer[4096];
    int status = Z_OK;
    while (status == Z_OK) {
        stream.next_out = reinterpret_cast<Bytef*>(buffer);
        stream.avail_out = sizeof buffer;
        status = inflate(&stream, Z_NO_FLUSH);
        out.append(buffer, sizeof buffer - stream.avail_out);
    }
    inflateEnd(&stream);
    BOOST_TEST(status == Z_STREAM_END);
    return out;
}

const std::string page(4000, 'x');

class Page final : public web::RequestHandler {
public:
    using RequestHandler::RequestHandler;
    awaitable<void> get() override {
        const auto kind = get_argument("kind", "");
        if (kind == "small")
            write("tiny");
        else if (kind == "png") {
            set_header("Content-Type", "image/png");
            write(page);
        } else if (kind == "stream") {
            for (int i = 0; i < 3; ++i) {
                write(page.substr(0, 100) + std::to_string(i));
                co_await flush();
            }
        } else if (kind == "json") {
            write(boost::json::object{{"data", page}});
        } else {
            write(page);
        }
    }
};

struct CompressionFixture : testing::AsyncHTTPTestCase {
    web::Application get_app() override {
        return web::Application({web::url<Page>("/")}, {.compress_response = true});
    }
    /// The body as it came over the wire: the client must not inflate it for us.
    httpclient::HTTPResponse get(std::string query, bool accept = true) {
        httpclient::HTTPRequest request{.decompress_response = false};
        if (accept) request.headers.add("Accept-Encoding", "gzip, deflate");
        return fetch("/" + query, std::move(request));
    }
};

}  // namespace

BOOST_FIXTURE_TEST_SUITE(compression_test, CompressionFixture)

BOOST_AUTO_TEST_CASE(text_bodies_are_gzipped_for_clients_that_accept_it) {
    const auto response = get("");
    BOOST_TEST(response.headers.get("Content-Encoding", "") == "gzip");
    BOOST_TEST(response.headers.get("Vary", "") == "Accept-Encoding");
    BOOST_TEST(std::stoul(response.headers.get("Content-Length", "0")) == response.body.size());
    BOOST_TEST(response.body.size() < page.size() / 10);
    BOOST_TEST(gunzip(response.body) == page);
    BOOST_TEST(gunzip(get("?kind=json").body).size() > page.size());
}

BOOST_AUTO_TEST_CASE(not_for_small_bodies_other_types_or_other_clients) {
    for (const auto& response : {get("?kind=small"), get("?kind=png"), get("", false)}) {
        BOOST_TEST(!response.headers.contains("Content-Encoding"));
        BOOST_TEST(response.headers.get("Vary", "") == "Accept-Encoding");
    }
    BOOST_TEST(get("", false).body == page);
}

BOOST_AUTO_TEST_CASE(streamed_responses_are_compressed_piece_by_piece) {
    const auto response = get("?kind=stream");
    BOOST_TEST(response.headers.get("Content-Encoding", "") == "gzip");
    BOOST_TEST(response.headers.get("Transfer-Encoding", "") == "chunked");
    BOOST_TEST(gunzip(response.body) ==
               page.substr(0, 100) + "0" + page.substr(0, 100) + "1" + page.substr(0, 100) + "2");
}

BOOST_AUTO_TEST_SUITE_END()
