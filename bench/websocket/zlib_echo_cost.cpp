// What zlib alone spends on the server's side of one echoed permessage-deflate message, the
// floor the deflate workload of bench/websocket/run compares a server's CPU time with.
//   zlib_echo_cost MESSAGES SIZE   prints "zlib_us_per_message X" and "compressed_bytes N"
// The messages are ws_load's (deflate_payload.hpp), compressed as its client sends them
// (Beast's client defaults: level 8, memLevel 4); the server's part, timed, is to inflate each
// and deflate it again at the echo server's settings (Tornado's: level 6, memLevel 8), both with
// a 32 KiB window kept from one message to the next (context takeover), as RFC 7692 frames them
// (raw deflate, each message ended by a sync flush).
#include "deflate_payload.hpp"

#include <zlib.h>

#include <cstdio>
#include <cstdlib>
#include <ctime>
#include <stdexcept>
#include <string>
#include <vector>

namespace {

double cpu_seconds() {
    timespec now{};
    clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &now);
    return static_cast<double>(now.tv_sec) + static_cast<double>(now.tv_nsec) * 1e-9;
}

class Deflater {
public:
    Deflater(int level, int mem_level) {
        if (deflateInit2(&z_, level, Z_DEFLATED, -15, mem_level, Z_DEFAULT_STRATEGY) != Z_OK)
            throw std::runtime_error("deflateInit2 failed");
    }
    ~Deflater() { deflateEnd(&z_); }
    Deflater(const Deflater&) = delete;
    Deflater& operator=(const Deflater&) = delete;

    /// `in` compressed and sync-flushed, without the flush's last four bytes (RFC 7692 §7.2.1).
    void compress(const std::string& in, std::vector<unsigned char>& out) {
        out.resize(deflateBound(&z_, in.size()) + 16);
        z_.next_in = reinterpret_cast<Bytef*>(const_cast<char*>(in.data()));
        z_.avail_in = static_cast<uInt>(in.size());
        z_.next_out = out.data();
        z_.avail_out = static_cast<uInt>(out.size());
        if (deflate(&z_, Z_SYNC_FLUSH) != Z_OK || z_.avail_in != 0)
            throw std::runtime_error("deflate failed");
        out.resize(out.size() - z_.avail_out - 4);
    }

private:
    z_stream z_{};
};

class Inflater {
public:
    Inflater() {
        if (inflateInit2(&z_, -15) != Z_OK) throw std::runtime_error("inflateInit2 failed");
    }
    ~Inflater() { inflateEnd(&z_); }
    Inflater(const Inflater&) = delete;
    Inflater& operator=(const Inflater&) = delete;

    /// The message `in` (as compress() gave it) decompressed into `out`, sized to hold it.
    void decompress(std::vector<unsigned char>& in, std::string& out) {
        static constexpr unsigned char tail[] = {0x00, 0x00, 0xff, 0xff};
        in.insert(in.end(), std::begin(tail), std::end(tail));
        z_.next_in = in.data();
        z_.avail_in = static_cast<uInt>(in.size());
        z_.next_out = reinterpret_cast<Bytef*>(out.data());
        z_.avail_out = static_cast<uInt>(out.size());
        const int status = inflate(&z_, Z_SYNC_FLUSH);
        if ((status != Z_OK && status != Z_BUF_ERROR) || z_.avail_in != 0 || z_.avail_out != 0)
            throw std::runtime_error("inflate failed");
    }

private:
    z_stream z_{};
};

}  // namespace

int main(int argc, char** argv) {
    if (argc < 3) {
        std::fprintf(stderr, "usage: zlib_echo_cost MESSAGES SIZE\n");
        return 2;
    }
    const auto messages = static_cast<std::size_t>(std::atoll(argv[1]));
    const auto size = static_cast<std::size_t>(std::atoll(argv[2]));
    Deflater client_out(8, 4), server_out(6, 8);
    Inflater server_in, client_in;
    std::vector<unsigned char> wire, echo;
    std::string received(size, '\0'), returned(size, '\0');
    double server_cpu = 0;
    std::size_t compressed = 0;
    for (std::size_t i = 0; i < messages; ++i) {
        const std::string message = bench::deflate_payload(size, static_cast<std::uint32_t>(i));
        client_out.compress(message, wire);
        compressed += wire.size();
        const double start = cpu_seconds();
        server_in.decompress(wire, received);
        server_out.compress(received, echo);
        server_cpu += cpu_seconds() - start;
        client_in.decompress(echo, returned);
        if (returned != message) {
            std::fprintf(stderr, "zlib_echo_cost: message %zu did not survive\n", i);
            return 1;
        }
    }
    std::printf("zlib_us_per_message %.1f\ncompressed_bytes %zu\n", server_cpu * 1e6 / messages,
                compressed / messages);
    return 0;
}
