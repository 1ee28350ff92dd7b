// typhoon::redis::Client's URL on arbitrary bytes: the constructor parses it (no connection is
// opened until a command), and only redis::URLError may escape, with a message.

#include "check.hpp"

#include <typhoon/ioloop/ioloop.hpp>
#include <typhoon/redis/client.hpp>
#include <typhoon/redis/errors.hpp>

#include <cstddef>
#include <cstdint>
#include <cstring>
#include <string_view>

extern "C" int LLVMFuzzerTestOneInput(const std::uint8_t* data, std::size_t size) {
    static typhoon::ioloop::IOLoop loop;  // the Client's loop; never run
    const std::string_view url(reinterpret_cast<const char*>(data), size);
    try {
        typhoon::redis::Client client(url);
    } catch (const typhoon::redis::URLError& error) {
        fuzz_support::check(std::strlen(error.what()) > 0, "a URL error says nothing");
    }
    return 0;
}
