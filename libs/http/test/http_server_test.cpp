#include <typhoon/http/http_server.hpp>

#include <typhoon/core/log_capture.hpp>
#include <typhoon/ioloop/gen.hpp>
#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/net/netutil.hpp>
#include <typhoon/net/process.hpp>
#include <typhoon/net/tcp_client.hpp>

#include "self_signed.hpp"

#include <zlib.h>

#include <boost/asio/ssl.hpp>
#include <boost/test/unit_test.hpp>

#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <atomic>
#include <csignal>
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <set>
#include <thread>
#include <vector>

using namespace typhoon;
using namespace std::chrono_literals;
using boost::asio::awaitable;
using httputil::HTTPConnection;
using httputil::HTTPHeaders;
using httputil::HTTPServerRequest;

namespace {

awaitable<void> respond(HTTPConnection& connection, int code, std::string body,
                        HTTPHeaders headers = {}) {
    headers.set("Content-Length", std::to_string(body.size()));
    co_await connection.write_headers({"HTTP/1.1", code, code == 200 ? "OK" : "Other"},
                                      std::move(headers), body);
    co_await connection.finish();
}

/// The application under test: one behaviour per path.
awaitable<void> application(HTTPServerRequest& request, HTTPConnection& connection) {
    if (request.path == "/hello") {
        if (request.method == "HEAD") {
            HTTPHeaders headers;
            headers.add("Content-Length", "12");
            co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, std::move(headers));
            co_await connection.finish();
            co_return;
        }
        co_await respond(connection, 200, "Hello, world");
    } else if (request.path == "/echo") {
        co_await respond(connection, 200, request.body);
    } else if (request.path == "/chunked") {
        co_await connection.write_headers({"HTTP/1.1", 200, "OK"}, HTTPHeaders{}, "one,");
        co_await connection.write("two,");
        co_await connection.flush();
        co_await connection.write("three");
        co_await connection.finish();
    } else if (request.path == "/args") {
        std::string out;
        for (const auto& [name, values] : request.arguments)
            for (const auto& value : values)
                out += name + "=" + value + ";";
        co_await respond(connection, 200, out);
    } else if (request.path == "/ip") {
        co_await respond(connection, 200, request.remote_ip + " " + request.protocol);
    } else if (request.path == "/slow") {
        co_await gen::sleep(300ms);
        co_await respond(connection, 200, "slow done");
    } else if (request.path == "/big") {
        co_await respond(connection, 200, std::string(1 << 20, 'b'));
    } else if (request.path == "/boom") {
        throw std::runtime_error("handler bug");
    } else {
        co_await respond(connection, 404, "no such page");
    }
}

struct ServerFixture {
    ioloop::IOLoop loop;
    std::unique_ptr<httpserver::HTTPServer> server;
    std::uint16_t port = 0;

    explicit ServerFixture(httpserver::HTTPServerOptions options = {}) {
        start(std::move(options));
    }

    void start(httpserver::HTTPServerOptions options) {
        server = std::make_unique<httpserver::HTTPServer>(application, std::move(options));
        server->listen(0, "127.0.0.1");
        port = server->ports().at(0);
    }

    template <class F>
    auto run(F coroutine) {
        return loop.run_sync(std::move(coroutine), std::chrono::seconds(20));
    }

    awaitable<std::unique_ptr<iostream::IOStream>> connect() {
        co_return co_await tcpclient::TCPClient().connect("127.0.0.1", port);
    }

    /// Sends raw bytes and returns everything the server sends until it closes.
    std::string exchange_until_close(std::string bytes) {
        return run([&]() -> awaitable<std::string> {
            auto stream = co_await connect();
            co_await stream->write(bytes);
            try {
                co_return co_await stream->read_until_close();
            } catch (const iostream::StreamClosedError&) {
                co_return std::string("(reset)");
            }
        });
    }

    /// One response from `stream`: status line and headers, then a Content-Length body.
    static awaitable<std::string> read_response(iostream::IOStream& stream) {
        std::string head = co_await stream.read_until("\r\n\r\n");
        const auto at = head.find("Content-Length: ");
        if (at == std::string::npos) co_return head;
        const auto length = std::stoul(head.substr(at + 16, head.find("\r\n", at) - at - 16));
        co_return head + co_await stream.read_bytes(length);
    }

    /// Writes `piece` every 50 ms, 100 times at most; true when the server closed meanwhile.
    static awaitable<bool> trickle_until_closed(iostream::IOStream& stream, std::string piece) {
        for (int i = 0; i < 100; ++i) {
            co_await gen::sleep(50ms);
            try {
                co_await stream.write(piece);
            } catch (const iostream::StreamClosedError&) {
                co_return true;
            }
        }
        co_return false;
    }

    /// True when the server still answers a plain request.
    bool still_serving() {
        return run([&]() -> awaitable<bool> {
            auto stream = co_await connect();
            co_await stream->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            co_return (co_await read_response(*stream)).ends_with("Hello, world");
        });
    }
};

/// `data` gzip-compressed, as a client sends it with Content-Encoding: gzip.
std::string gzip(std::string_view data) {
    z_stream stream{};
    deflateInit2(&stream, Z_BEST_COMPRESSION, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY);
    std::string out(deflateBound(&stream, static_cast<uLong>(data.size())) + 32, '\0');
    stream.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(data.data()));
    stream.avail_in = static_cast<uInt>(data.size());
    stream.next_out = reinterpret_cast<Bytef*>(out.data());
    stream.avail_out = static_cast<uInt>(out.size());
    deflate(&stream, Z_FINISH);
    out.resize(stream.total_out);
    deflateEnd(&stream);
    return out;
}

bool starts_with_status(const std::string& response, std::string_view status) {
    return response.starts_with("HTTP/1.1 " + std::string(status));
}

}  // namespace

BOOST_FIXTURE_TEST_SUITE(http_server_test, ServerFixture)

BOOST_AUTO_TEST_CASE(keep_alive_serves_several_requests_on_one_connection) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        for (int i = 0; i < 3; ++i) {
            co_await stream->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
            const std::string response = co_await read_response(*stream);
            BOOST_TEST(response == "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello, world");
        }
    });
    BOOST_TEST(server->connection_count() <= 1u);
}

BOOST_AUTO_TEST_CASE(a_unix_socket_is_served_as_tcp_is) {
    // As behind nginx's `proxy_pass http://unix:/run/app.sock`: same requests, remote_ip 0.0.0.0.
    const auto path = std::filesystem::temp_directory_path() /
                      ("typhoon_http_unix_" + std::to_string(::getpid()) + ".sock");
    httpserver::HTTPServer unix_server(application);
    unix_server.add_socket(netutil::bind_unix_socket(path.string()));
    run([&]() -> awaitable<void> {
        boost::asio::local::stream_protocol::socket socket(loop.context());
        socket.connect(path.string());
        iostream::IOStream stream(std::move(socket));
        for (int i = 0; i < 2; ++i) {
            co_await stream.write("GET /ip HTTP/1.1\r\nHost: x\r\n\r\n");
            BOOST_TEST((co_await read_response(stream)).ends_with("\r\n\r\n0.0.0.0 http"));
        }
    });
    std::filesystem::remove(path);
}

BOOST_AUTO_TEST_CASE(pipelined_requests_are_answered_in_order) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write(
            "GET /slow HTTP/1.1\r\nHost: x\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n"
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n\r\nping");
        BOOST_TEST((co_await read_response(*stream)).ends_with("slow done"));
        BOOST_TEST((co_await read_response(*stream)).ends_with("Hello, world"));
        BOOST_TEST((co_await read_response(*stream)).ends_with("\r\n\r\nping"));
    });
}

BOOST_AUTO_TEST_CASE(chunked_request_bodies_are_decoded) {
    const auto response = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\nConnection: close\r\n\r\n"
        "5\r\nhello\r\n7\r\n, world\r\n0\r\n\r\n");
    BOOST_TEST(response ==
               "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: close\r\n\r\nhello, world");
}

BOOST_AUTO_TEST_CASE(responses_without_length_are_chunked_for_http_1_1) {
    const auto response =
        exchange_until_close("GET /chunked HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(response ==
               "HTTP/1.1 200 OK\r\nConnection: close\r\nTransfer-Encoding: chunked\r\n\r\n"
               "4\r\none,\r\n4\r\ntwo,\r\n5\r\nthree\r\n0\r\n\r\n");
}

BOOST_AUTO_TEST_CASE(expect_100_continue_gets_an_interim_response) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write(
            "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nExpect: 100-continue\r\n\r\n");
        BOOST_TEST(co_await stream->read_until("\r\n\r\n") == "HTTP/1.1 100 (Continue)\r\n\r\n");
        co_await stream->write("abc");
        BOOST_TEST((co_await read_response(*stream)).ends_with("\r\n\r\nabc"));
    });
}

BOOST_AUTO_TEST_CASE(head_gets_headers_without_a_body) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST(co_await stream->read_until("\r\n\r\n") ==
                   "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\n");
        co_await stream->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");  // nothing was left over
        BOOST_TEST((co_await read_response(*stream)).ends_with("Hello, world"));
    });
}

BOOST_AUTO_TEST_CASE(http_1_0_closes_unless_keep_alive_is_asked) {
    BOOST_TEST(exchange_until_close("GET /hello HTTP/1.0\r\n\r\n") ==
               "HTTP/1.1 200 OK\r\nContent-Length: 12\r\n\r\nHello, world");
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        BOOST_TEST(
            co_await read_response(*stream) ==
            "HTTP/1.1 200 OK\r\nContent-Length: 12\r\nConnection: Keep-Alive\r\n\r\nHello, world");
        co_await stream->write("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n");
        BOOST_TEST((co_await read_response(*stream)).ends_with("Hello, world"));
    });
}

BOOST_AUTO_TEST_CASE(query_and_form_arguments_reach_the_callback) {
    const auto response = exchange_until_close(
        "POST /args?a=1&b=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Type: application/x-www-form-urlencoded\r\nContent-Length: 7\r\n\r\na=3&c=4");
    BOOST_TEST(response.ends_with("\r\n\r\na=1;a=3;b=2;c=4;"));
}

BOOST_AUTO_TEST_CASE(bad_input_gets_the_right_status_and_the_server_goes_on) {
    log::LogCapture quiet{{.logger = &log::gen_log}};
    struct Case {
        std::string request, status;
    };
    const std::vector<Case> cases{
        {"GARBAGE\r\n\r\n", "400"},
        {"GET / HTTP/9.9\r\n\r\n", "505"},  // a major other than 1 (RFC 9112 §2.3)
        {"GET / HTTP/1.1\r\nHost: x\r\nNo colon here\r\n\r\n", "400"},
        {"GET / HTTP/1.1\r\nHost: x\r\nX-Big: " + std::string(70000, 'a') + "\r\n\r\n", "431"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 200000000\r\n\r\n", "413"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: "
         "chunked\r\n\r\nZZ\r\nhello\r\n0\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip\r\n\r\nxx", "501"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nTransfer-Encoding: "
         "chunked\r\n\r\n0\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\nContent-Length: 4\r\n\r\nabcd",
         "400"},
        {"GET / HTTP/1.1\r\nHost: x\r\nX-Folded: a\r\n b\r\n\r\n", "400"},
    };
    for (const auto& c : cases) {
        BOOST_TEST_CONTEXT(c.request.substr(0, 60)) {
            const auto response = exchange_until_close(c.request);
            BOOST_TEST(starts_with_status(response, c.status), response.substr(0, 80));
            BOOST_TEST(response.find("Connection: close") != std::string::npos);
            BOOST_TEST(still_serving());
        }
    }
    BOOST_TEST(quiet.records().size() == cases.size());  // one log line per refused request
}

BOOST_AUTO_TEST_CASE(a_client_sending_headers_slowly_is_dropped) {
    start({.header_timeout = 200ms});
    log::LogCapture quiet{{.logger = &log::gen_log}};
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        const auto started = std::chrono::steady_clock::now();
        try {
            for (char c : std::string("GET /hello HTTP/1.1\r\nHost: x\r\n")) {
                co_await stream->write(std::string(1, c));
                co_await gen::sleep(50ms);
            }
            co_await stream->read_until_close();
        } catch (const iostream::StreamClosedError&) {
        }
        BOOST_TEST((std::chrono::steady_clock::now() - started < 5s));
    });
    BOOST_TEST(quiet.contains("Timeout reading request headers"));
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(an_idle_keep_alive_connection_is_closed_after_idle_connection_timeout) {
    start({.idle_connection_timeout = 200ms});
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST((co_await read_response(*stream)).ends_with("Hello, world"));
        const auto answered = std::chrono::steady_clock::now();
        std::string rest;
        try {
            rest = co_await stream->read_until_close();
        } catch (const iostream::StreamClosedError&) {
        }
        const auto waited = std::chrono::steady_clock::now() - answered;
        BOOST_TEST(rest.empty());
        BOOST_TEST((waited >= 150ms && waited < 5s));
    });
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(a_client_that_stops_sending_its_body_is_dropped_after_body_timeout) {
    start({.body_timeout = 200ms});
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        const auto started = std::chrono::steady_clock::now();
        co_await stream->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\nabc");
        std::string answer;
        try {
            answer = co_await stream->read_until_close();
        } catch (const iostream::StreamClosedError&) {
        }
        const auto waited = std::chrono::steady_clock::now() - started;
        BOOST_TEST(answer.empty());  // no response to half a request: the connection is closed
        BOOST_TEST((waited >= 150ms && waited < 5s));
    });
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(timeouts_do_not_cut_a_handler_that_takes_its_time) {
    // body_timeout and header_timeout bound the waits for the client, not the application: /slow
    // answers after 300 ms, longer than either.
    start({.header_timeout = 100ms, .body_timeout = 100ms});
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST((co_await read_response(*stream)).ends_with("slow done"));
    });
}

BOOST_AUTO_TEST_CASE(an_exception_in_the_handler_is_a_500_and_logged) {
    log::LogCapture errors{{.logger = &log::app_log}};
    const auto response = exchange_until_close("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n");
    BOOST_TEST(starts_with_status(response, "500"));
    BOOST_TEST_REQUIRE(errors.records().size() == 1u);
    BOOST_TEST(errors.records()[0].exception == "std::runtime_error: handler bug");
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(xheaders_take_the_client_address_from_the_proxy) {
    start({.xheaders = true, .trusted_downstream = {"10.0.0.2"}});
    const auto response = exchange_until_close(
        "GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Forwarded-For: 1.2.3.4, 10.0.0.2\r\n"
        "X-Scheme: https\r\n\r\n");
    BOOST_TEST(response.ends_with("\r\n\r\n1.2.3.4 https"));
    const auto plain =
        exchange_until_close("GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(plain.ends_with("\r\n\r\n127.0.0.1 http"));
}

BOOST_AUTO_TEST_CASE(without_xheaders_proxy_headers_are_ignored) {
    const auto response = exchange_until_close(
        "GET /ip HTTP/1.1\r\nHost: x\r\nConnection: close\r\nX-Real-Ip: 1.2.3.4\r\nX-Scheme: "
        "https\r\n\r\n");
    BOOST_TEST(response.ends_with("\r\n\r\n127.0.0.1 http"));
}

BOOST_AUTO_TEST_CASE(shutdown_finishes_requests_in_flight_and_closes_idle_connections) {
    run([&]() -> awaitable<void> {
        auto idle = co_await connect();
        co_await idle->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        co_await read_response(*idle);
        auto busy = co_await connect();
        co_await busy->write("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
        co_await gen::sleep(50ms);  // the slow request is in its handler now
        co_await server->shutdown(5s);
        BOOST_TEST((co_await read_response(*busy)).ends_with("slow done"));
        BOOST_CHECK_THROW(co_await idle->read_bytes(1), iostream::StreamClosedError);
        BOOST_CHECK_THROW(co_await connect(), iostream::StreamClosedError);
    });
    BOOST_TEST(server->connection_count() == 0u);
}

BOOST_AUTO_TEST_CASE(a_client_that_never_reads_cannot_make_the_server_buffer_without_bound) {
    const auto resident_kib = [] {
        std::ifstream status("/proc/self/status");
        for (std::string line; std::getline(status, line);)
            if (line.starts_with("VmRSS:")) return std::stol(line.substr(6));
        return 0L;
    };
    const long before = resident_kib();
    run([&]() -> awaitable<void> {
        // 200 pipelined requests for 1 MiB each, and never a byte read: the server answers one,
        // waits for the socket, and reads no further request meanwhile.
        auto greedy = co_await connect();
        std::string requests;
        for (int i = 0; i < 200; ++i)
            requests += "GET /big HTTP/1.1\r\nHost: x\r\n\r\n";
        co_await greedy->write(requests);
        co_await gen::sleep(500ms);
        auto other = co_await connect();  // everyone else is still served
        co_await other->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST((co_await read_response(*other)).ends_with("Hello, world"));
    });
    BOOST_TEST(resident_kib() - before < 64 * 1024,
               "grew by " << resident_kib() - before << " KiB");
}

BOOST_AUTO_TEST_CASE(one_loop_per_thread_serves_one_port) {
    // Tornado scales with processes; Typhoon can also run a loop per thread, each with its own
    // HTTPServer on the same port (SO_REUSEPORT), the kernel spreading the connections.
    const auto shared_port = netutil::bind_sockets(0, "127.0.0.1").front().port();
    std::atomic<int> ready{0};
    std::atomic<bool> done{false};
    std::vector<std::thread> threads;
    for (int t = 0; t < 2; ++t) {
        threads.emplace_back([&] {
            ioloop::IOLoop thread_loop;
            httpserver::HTTPServer thread_server(application);
            thread_server.add_sockets(
                netutil::bind_sockets(shared_port, "127.0.0.1", {.reuse_port = true}));
            ++ready;
            thread_loop.run_sync([&]() -> awaitable<void> {
                while (!done)
                    co_await gen::sleep(5ms);
            });
        });
    }
    while (ready < 2)
        std::this_thread::sleep_for(1ms);
    port = shared_port;
    run([&]() -> awaitable<void> {
        for (int i = 0; i < 20; ++i) {
            auto stream = co_await connect();
            co_await stream->write("GET /hello HTTP/1.0\r\n\r\n");
            BOOST_TEST((co_await stream->read_until_close()).ends_with("Hello, world"));
        }
    });
    done = true;
    for (auto& thread : threads)
        thread.join();
}

BOOST_AUTO_TEST_CASE(decompress_request_hands_over_the_decompressed_body) {
    start({.decompress_request = true});
    const std::string body = gzip("hello, compressed world");
    const auto response = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Encoding: gzip\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    BOOST_TEST(response.ends_with("\r\n\r\nhello, compressed world"));
}

BOOST_AUTO_TEST_CASE(without_decompress_request_the_body_stays_compressed) {
    const std::string body = gzip("stay as you are");
    const auto response = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Encoding: gzip\r\nContent-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    BOOST_TEST(response.ends_with("\r\n\r\n" + body));
}

BOOST_AUTO_TEST_CASE(a_gzip_bomb_gets_413_and_bad_gzip_400) {
    start({.decompress_request = true, .max_body_size = 1 << 20});
    log::LogCapture quiet{{.logger = &log::gen_log}};
    const std::string bomb = gzip(std::string(64 << 20, '\0'));  // 64 MiB of zeros in ~64 KiB
    BOOST_TEST(bomb.size() < (1u << 20));
    const auto refused = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\n"
        "Content-Length: " +
        std::to_string(bomb.size()) + "\r\n\r\n" + bomb);
    BOOST_TEST(starts_with_status(refused, "413"), refused.substr(0, 60));
    const auto garbage = exchange_until_close(
        "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Encoding: gzip\r\nContent-Length: 9\r\n\r\nnot "
        "gzip!");
    BOOST_TEST(starts_with_status(garbage, "400"), garbage.substr(0, 60));
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(bind_and_start_serve_from_forked_processes) {
    // Tornado's multi-process mode: bind, then start(2) forks two children that share the socket.
    const auto shared_port = netutil::bind_sockets(0, "127.0.0.1").front().port();
    std::fflush(nullptr);
    const pid_t supervisor = ::fork();
    if (supervisor == 0) {
        ::setpgid(0, 0);  // children and supervisor in one group, for the test to end them all
        log::clear_handlers();
        // The fixture's loop and server are the parent's: their epoll instance is shared across
        // fork, so the child must not touch them, only stop treating that loop as current.
        ioloop::IOLoop::clear_current();
        httpserver::HTTPServer forked([](HTTPServerRequest&, HTTPConnection& c) -> awaitable<void> {
            co_await respond(c, 200, "task " + std::to_string(process::task_id().value_or(-1)));
        });
        forked.bind(shared_port, "127.0.0.1");
        forked.start(2);  // returns in each child; the supervisor never returns
        ioloop::IOLoop::current().start();
        ::_exit(0);
    }
    ::setpgid(supervisor, supervisor);
    port = shared_port;
    std::set<std::string> seen;
    for (int attempt = 0; attempt < 100 && seen.empty(); ++attempt) {
        std::this_thread::sleep_for(20ms);  // the children may still be starting
        try {
            seen.insert(exchange_until_close("GET / HTTP/1.0\r\n\r\n"));
        } catch (const iostream::StreamClosedError&) {
        }
    }
    for (int i = 0; i < 10; ++i)
        seen.insert(exchange_until_close("GET / HTTP/1.0\r\n\r\n"));
    ::kill(-supervisor, SIGKILL);
    ::waitpid(supervisor, nullptr, 0);
    BOOST_TEST_REQUIRE(!seen.empty());
    for (const auto& response : seen)
        BOOST_TEST((response.ends_with("task 0") || response.ends_with("task 1")), response);
}

namespace {
/// Counts what a streaming delegate sees: the body arrives in pieces, never whole.
struct StreamingStats {
    int requests = 0, chunks = 0, closed = 0;
    std::size_t bytes = 0, largest_chunk = 0;
};

class CountingDelegate final : public httputil::HTTPMessageDelegate {
public:
    explicit CountingDelegate(StreamingStats& stats) : stats_(stats) {}
    awaitable<void> data_received(HTTPServerRequest&, std::string_view chunk) override {
        ++stats_.chunks;
        stats_.bytes += chunk.size();
        stats_.largest_chunk = std::max(stats_.largest_chunk, chunk.size());
        co_return;
    }
    awaitable<void> finish(HTTPServerRequest& request, HTTPConnection& connection) override {
        BOOST_TEST(request.body.empty());  // nothing buffered behind the delegate's back
        co_await respond(connection, 200, std::to_string(stats_.bytes));
    }
    void on_connection_close() override { ++stats_.closed; }

private:
    StreamingStats& stats_;
};

class CountingServerDelegate final : public httputil::HTTPServerConnectionDelegate {
public:
    StreamingStats stats;
    std::unique_ptr<httputil::HTTPMessageDelegate> start_request() override {
        ++stats.requests;
        return std::make_unique<CountingDelegate>(stats);
    }
};
}  // namespace

BOOST_AUTO_TEST_CASE(a_delegate_receives_the_body_in_pieces_as_it_arrives) {
    CountingServerDelegate delegate;
    server = std::make_unique<httpserver::HTTPServer>(delegate);
    server->listen(0, "127.0.0.1");
    port = server->ports().at(0);
    const std::string body(1 << 20, 'x');
    const auto response = exchange_until_close(
        "POST /upload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n"
        "Content-Length: " +
        std::to_string(body.size()) + "\r\n\r\n" + body);
    BOOST_TEST(response.ends_with("\r\n\r\n1048576"));
    BOOST_TEST(delegate.stats.requests == 1);
    BOOST_TEST(delegate.stats.chunks > 1);
    BOOST_TEST(delegate.stats.largest_chunk <= 64u * 1024);
    BOOST_TEST(delegate.stats.closed == 0);
    server.reset();  // before the delegate it points to
}

BOOST_AUTO_TEST_CASE(a_delegate_hears_when_the_client_leaves_mid_body) {
    CountingServerDelegate delegate;
    server = std::make_unique<httpserver::HTTPServer>(delegate);
    server->listen(0, "127.0.0.1");
    port = server->ports().at(0);
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write(
            "POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 1000\r\n\r\npartial");
        co_await gen::sleep(50ms);
        stream->close();
        for (int i = 0; i < 100 && delegate.stats.closed == 0; ++i)
            co_await gen::sleep(10ms);
    });
    BOOST_TEST(delegate.stats.closed == 1);
    BOOST_TEST(delegate.stats.bytes ==
               7u);  // "partial" reached the delegate before the client left
}

BOOST_AUTO_TEST_CASE(serves_https_with_an_ssl_context) {
    const auto certificate = net_test::make_self_signed("localhost");
    auto server_context =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_server);
    server_context->use_certificate_chain(boost::asio::buffer(certificate.certificate_pem));
    server_context->use_private_key(boost::asio::buffer(certificate.private_key_pem),
                                    boost::asio::ssl::context::pem);
    auto client_context =
        std::make_shared<boost::asio::ssl::context>(boost::asio::ssl::context::tls_client);
    client_context->add_certificate_authority(boost::asio::buffer(certificate.certificate_pem));
    client_context->set_verify_mode(boost::asio::ssl::verify_peer);
    client_context->set_verify_callback(boost::asio::ssl::host_name_verification("localhost"));
    start({.ssl_context = server_context});
    log::LogCapture warnings{{.logger = &log::gen_log}};
    run([&]() -> awaitable<void> {
        auto stream = co_await tcpclient::TCPClient().connect(
            "localhost", port, {.family = netutil::Family::inet, .ssl_context = client_context});
        co_await stream->write("GET /ip HTTP/1.1\r\nHost: localhost\r\n\r\n");
        BOOST_TEST((co_await read_response(*stream)).ends_with("\r\n\r\n127.0.0.1 https"));
        co_await stream->write(
            "GET /hello HTTP/1.1\r\nHost: localhost\r\n\r\n");  // keep-alive over TLS
        BOOST_TEST((co_await read_response(*stream)).ends_with("Hello, world"));

        auto plain = co_await connect();  // a client speaking plain HTTP to the HTTPS port
        co_await plain->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        try {
            (void)co_await plain->read_until_close();
        } catch (const iostream::StreamClosedError&) {
        }
    });
    BOOST_TEST(warnings.contains("SSL Error on connection from 127.0.0.1:"));
}

// RFC 9112 held: each shape gets its answer and a closed connection, never a wait.
BOOST_AUTO_TEST_CASE(hostile_request_heads_get_their_status_and_a_close) {
    const std::vector<std::pair<std::string, std::string>> shapes = {
        {"GET /hello HTTP/1.1\nHost: x\n\n", "400"},      // bare LF: hung before
        {"GET /hello HTTP/1.1\r\nHost: x\n\r\n", "400"},  // one bare LF
        {"GET /hello HTTP/1.1\r\n\r\n", "400"},           // no Host in 1.1
        {"GET /hello HTTP/1.1\r\nHost: a\r\nHost: b\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: a b\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: user@a\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: a/b\r\n\r\n", "400"},
        {"GET /hello HTTP/2.0\r\nHost: x\r\n\r\n", "505"},
        {"GET /hello HTTP/0.9\r\nHost: x\r\n\r\n", "505"},
        {"GET /hello HTTP/1.10\r\nHost: x\r\n\r\n", "400"},
        {"GET /hello FOO\r\nHost: x\r\n\r\n", "400"},
        {"G(T /hello HTTP/1.1\r\nHost: x\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: x\r\nX(y): a\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: x\r\nX: a\x01z\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\nHost: x\r\nX:\x0b"
         "a\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: gzip, chunked\r\n\r\n0\r\n\r\n",
         "501"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, gzip\r\n\r\n", "501"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: identity\r\n\r\n", "501"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked, chunked\r\n\r\n0\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 3\r\n"
         "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n",
         "400"},
        {"POST /echo HTTP/1.0\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\n", "400"},
        {"POST /echo HTTP/1.1\r\nHost: x\r\nExpect: fly\r\nContent-Length: 1\r\n\r\nx", "417"},
        {"GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n b\r\n\r\n", "400"},  // obs-fold
        {"GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n\tb\r\n\r\n", "400"},
        {"GET /hello HTTP/1.1\r\n Host: x\r\n\r\n", "400"},  // space after the request line
    };
    for (const auto& [request, status] : shapes) {
        const auto answer = exchange_until_close(request);
        BOOST_TEST_INFO("request " << request);
        BOOST_TEST(starts_with_status(answer, status));
    }
    BOOST_TEST(still_serving());
}

// GHSA-qppv-j76h-2rpx: only plain digits frame a body.
BOOST_AUTO_TEST_CASE(signs_underscores_spaces_and_0x_in_lengths_are_a_400) {
    for (const std::string length : {"+1", "-1", "0x1", "1_0", "1 0",
                                     "\x0b"
                                     "1"})
        BOOST_TEST(starts_with_status(
            exchange_until_close("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: " + length +
                                 "\r\n\r\nx"),
            "400"));
    for (const std::string size : {"+1", "0x1", "1_0", " 1", "-1"})
        BOOST_TEST(starts_with_status(
            exchange_until_close(
                "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n" + size +
                "\r\nxxxxxxxxxxxxxxxx\r\n0\r\n\r\n"),
            "400"));
}

// Beast buffers a chunk-size line and the trailers without end; the server bounds both.
BOOST_AUTO_TEST_CASE(a_chunk_size_line_over_4_kib_is_a_400_and_one_within_is_served) {
    const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    // Whole (the parser sees the line end) and endless (it never does): 400 either way.
    BOOST_TEST(starts_with_status(
        exchange_until_close(head + "1;a=" + std::string(5000, 'b') + "\r\nx\r\n0\r\n\r\n"),
        "400"));
    BOOST_TEST(
        starts_with_status(exchange_until_close(head + "1;a=" + std::string(200000, 'b')), "400"));
    BOOST_TEST(starts_with_status(
        exchange_until_close(head + "0;a=" + std::string(5000, 'b') + "\r\n\r\n"), "400"));
    const auto served = exchange_until_close(
        head + "3;a=" + std::string(4000, 'b') + "\r\nabc\r\n0\r\nX: y\r\n\r\n" +
        "GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
    BOOST_TEST(starts_with_status(served, "200"));
    BOOST_TEST(served.find("abc") != std::string::npos);
    BOOST_TEST(served.ends_with("Hello, world"));  // the framing after the body held
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(trailers_count_against_max_header_size) {
    start({.max_header_size = 1024});
    const std::string head = "POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n";
    std::string trailers;
    while (trailers.size() < 2000)
        trailers += "X-Trailer: " + std::string(30, 'y') + "\r\n";
    BOOST_TEST(starts_with_status(
        exchange_until_close(head + "1\r\nx\r\n0\r\n" + trailers + "\r\n"), "431"));
    // Trailers that never end are cut at the same limit, not buffered on.
    std::string endless = head + "1\r\nx\r\n0\r\n";
    while (endless.size() < 300000)
        endless += "X-Trailer: " + std::string(30, 'y') + "\r\n";
    BOOST_TEST(starts_with_status(exchange_until_close(endless), "431"));
    const auto served = exchange_until_close(head + "1\r\nx\r\n0\r\nX-Trailer: y\r\n\r\n" +
                                             "GET /hello HTTP/1.1\r\nHost: x\r\n"
                                             "Connection: close\r\n\r\n");
    BOOST_TEST(starts_with_status(served, "200"));
    BOOST_TEST(served.ends_with("Hello, world"));
}

BOOST_AUTO_TEST_CASE(later_http_1_minors_are_served_as_1_1_and_http_1_0_needs_no_host) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write("GET /hello HTTP/1.2\r\nHost: x\r\n\r\n");
        const auto answer = co_await read_response(*stream);
        BOOST_TEST(answer.starts_with("HTTP/1.1 200"));
        BOOST_TEST(answer.ends_with("Hello, world"));
    });
    BOOST_TEST(exchange_until_close("GET /hello HTTP/1.0\r\n\r\n").ends_with("Hello, world"));
}

BOOST_AUTO_TEST_CASE(an_absolute_form_target_is_routed_by_its_path_with_its_authority_as_host) {
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        co_await stream->write(
            "GET http://example.com:81/args?x=1 HTTP/1.1\r\nHost: other\r\n\r\n");
        BOOST_TEST((co_await read_response(*stream)).ends_with("x=1;"));
    });
}

// The header block is judged however the reads cut it: a fold whose whitespace comes in a later
// read than the line break before it is refused as one sent whole, and a request sent a byte at
// a time is served.
BOOST_AUTO_TEST_CASE(a_header_block_split_across_reads_is_judged_as_one) {
    run([&]() -> awaitable<void> {
        auto folded = co_await connect();
        co_await folded->write("GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n");
        co_await gen::sleep(50ms);
        co_await folded->write(" b\r\n\r\n");
        BOOST_TEST(starts_with_status(co_await folded->read_until_close(), "400"));

        auto bytewise = co_await connect();
        for (const char c : std::string_view("GET /hello HTTP/1.1\r\nHost: x\r\nX: a\r\n\r\n")) {
            co_await bytewise->write(std::string(1, c));
            co_await gen::sleep(1ms);
        }
        BOOST_TEST((co_await read_response(*bytewise)).ends_with("Hello, world"));
    });
}

BOOST_AUTO_TEST_CASE(body_timeout_is_a_deadline_for_the_whole_body) {
    start({.body_timeout = 300ms});
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        const auto started = std::chrono::steady_clock::now();
        co_await stream->write("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n");
        // One byte every 50 ms would take 5 s: each read is prompt, the body is not.
        const bool closed = co_await trickle_until_closed(*stream, "x");
        const auto waited = std::chrono::steady_clock::now() - started;
        BOOST_TEST(closed);
        BOOST_TEST((waited >= 250ms && waited < 3s));
    });
    BOOST_TEST(still_serving());
}

BOOST_AUTO_TEST_CASE(blank_lines_do_not_extend_the_idle_timeout) {
    start({.idle_connection_timeout = 300ms});
    run([&]() -> awaitable<void> {
        auto stream = co_await connect();
        const auto started = std::chrono::steady_clock::now();
        const bool closed = co_await trickle_until_closed(*stream, "\r\n");
        const auto waited = std::chrono::steady_clock::now() - started;
        BOOST_TEST(closed);
        BOOST_TEST((waited >= 250ms && waited < 3s));
    });
}

BOOST_AUTO_TEST_CASE(connections_over_max_connections_are_closed_at_once_and_logged_once) {
    start({.max_connections = 2});
    log::LogCapture warnings{{.logger = &log::gen_log}};
    run([&]() -> awaitable<void> {
        auto first = co_await connect();
        auto second = co_await connect();
        co_await first->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        co_await second->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST((co_await read_response(*first)).ends_with("Hello, world"));
        BOOST_TEST((co_await read_response(*second)).ends_with("Hello, world"));
        for (int i = 0; i < 3; ++i) {
            auto extra = co_await connect();
            std::string got;
            try {
                co_await extra->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
                got = co_await extra->read_until_close();
            } catch (const iostream::StreamClosedError&) {
            }
            BOOST_TEST(got.empty());
        }
        first->close();
        co_await gen::sleep(100ms);
        auto again = co_await connect();
        co_await again->write("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n");
        BOOST_TEST((co_await read_response(*again)).ends_with("Hello, world"));
    });
    const auto records = warnings.records();
    BOOST_TEST(std::count_if(records.begin(), records.end(), [](const auto& record) {
                   return record.message.find("max_connections") != std::string::npos;
               }) == 1);
}

BOOST_AUTO_TEST_SUITE_END()
