#include <typhoon/net/netutil.hpp>

#include <boost/asio/this_coro.hpp>
#include <boost/asio/use_awaitable.hpp>
#include <boost/system/system_error.hpp>

#include <arpa/inet.h>
#include <fcntl.h>
#include <netdb.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>
#include <memory>
#include <set>
#include <tuple>
#include <utility>

namespace typhoon::netutil {

namespace {

[[noreturn]] void throw_errno(const std::string& what) {
    throw boost::system::system_error(
        boost::system::error_code(errno, boost::system::system_category()), what);
}

int to_af(Family family) {
    switch (family) {
        case Family::inet:
            return AF_INET;
        case Family::inet6:
            return AF_INET6;
        default:
            return AF_UNSPEC;
    }
}

void set_flag(int fd, int level, int option) {
    const int one = 1;
    if (::setsockopt(fd, level, option, &one, sizeof one) != 0) throw_errno("setsockopt");
}

}  // namespace

BoundSocket::BoundSocket(BoundSocket&& other) noexcept : fd_(other.fd_), family_(other.family_) {
    other.fd_ = -1;
}

BoundSocket& BoundSocket::operator=(BoundSocket&& other) noexcept {
    if (this != &other) {
        if (fd_ >= 0) ::close(fd_);
        fd_ = std::exchange(other.fd_, -1);
        family_ = other.family_;
    }
    return *this;
}

BoundSocket::~BoundSocket() {
    if (fd_ >= 0) ::close(fd_);
}

int BoundSocket::release() noexcept {
    return std::exchange(fd_, -1);
}

std::uint16_t BoundSocket::port() const {
    sockaddr_storage address{};
    socklen_t length = sizeof address;
    if (::getsockname(fd_, reinterpret_cast<sockaddr*>(&address), &length) != 0)
        throw_errno("getsockname");
    if (address.ss_family == AF_INET)
        return ntohs(reinterpret_cast<sockaddr_in&>(address).sin_port);
    if (address.ss_family == AF_INET6)
        return ntohs(reinterpret_cast<sockaddr_in6&>(address).sin6_port);
    return 0;
}

std::vector<BoundSocket> bind_sockets(std::uint16_t port, std::string_view address,
                                      BindOptions options) {
    addrinfo hints{};
    hints.ai_family = to_af(options.family);
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_PASSIVE;
    addrinfo* found = nullptr;
    const std::string host(address);
    const std::string service = std::to_string(port);
    if (const int rc =
            ::getaddrinfo(host.empty() ? nullptr : host.c_str(), service.c_str(), &hints, &found);
        rc != 0)
        throw boost::system::system_error(
            boost::system::error_code(rc, boost::asio::error::get_netdb_category()),
            "getaddrinfo " + host);
    std::unique_ptr<addrinfo, void (*)(addrinfo*)> results(found, ::freeaddrinfo);

    // IPv4 before IPv6, as Tornado sorts by family; duplicates (one per protocol) only once.
    std::vector<const addrinfo*> candidates;
    for (const addrinfo* ai = found; ai; ai = ai->ai_next)
        candidates.push_back(ai);
    std::stable_sort(
        candidates.begin(), candidates.end(),
        [](const addrinfo* a, const addrinfo* b) { return a->ai_family < b->ai_family; });

    std::vector<BoundSocket> sockets;
    std::set<std::tuple<int, std::string>> seen;
    std::uint16_t bound_port = 0;
    for (const addrinfo* ai : candidates) {
        const std::string raw(reinterpret_cast<const char*>(ai->ai_addr), ai->ai_addrlen);
        if (!seen.emplace(ai->ai_family, raw).second) continue;
        const int fd = ::socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK | SOCK_CLOEXEC,
                                ai->ai_protocol);
        if (fd < 0) {
            if (errno == EAFNOSUPPORT) continue;
            throw_errno("socket");
        }
        BoundSocket socket(fd, ai->ai_family);
        set_flag(fd, SOL_SOCKET, SO_REUSEADDR);
        if (options.reuse_port) set_flag(fd, SOL_SOCKET, SO_REUSEPORT);
        if (ai->ai_family == AF_INET6) set_flag(fd, IPPROTO_IPV6, IPV6_V6ONLY);

        sockaddr_storage target{};
        std::memcpy(&target, ai->ai_addr, ai->ai_addrlen);
        // With port 0, the second family gets the port the kernel gave the first.
        if (port == 0 && bound_port != 0) {
            if (ai->ai_family == AF_INET)
                reinterpret_cast<sockaddr_in&>(target).sin_port = htons(bound_port);
            if (ai->ai_family == AF_INET6)
                reinterpret_cast<sockaddr_in6&>(target).sin6_port = htons(bound_port);
        }
        if (::bind(fd, reinterpret_cast<sockaddr*>(&target), ai->ai_addrlen) != 0) {
            // "localhost" may name ::1 on a host without IPv6 configured; Tornado skips it too.
            if (errno == EADDRNOTAVAIL && host == "localhost" && ai->ai_family == AF_INET6)
                continue;
            throw_errno("bind " + host + ":" + service);
        }
        bound_port = socket.port();
        if (::listen(fd, options.backlog) != 0) throw_errno("listen");
        sockets.push_back(std::move(socket));
    }
    return sockets;
}

BoundSocket bind_unix_socket(const std::string& path, unsigned mode, int backlog) {
    sockaddr_un address{};
    if (path.size() >= sizeof address.sun_path) {
        errno = ENAMETOOLONG;
        throw_errno("bind_unix_socket " + path);
    }
    address.sun_family = AF_UNIX;
    std::memcpy(address.sun_path, path.c_str(), path.size() + 1);

    const int fd = ::socket(AF_UNIX, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (fd < 0) throw_errno("socket");
    BoundSocket socket(fd, AF_UNIX);
    set_flag(fd, SOL_SOCKET, SO_REUSEADDR);
    struct stat existing {};
    if (::stat(path.c_str(), &existing) == 0) {
        if (!S_ISSOCK(existing.st_mode)) {
            errno = EEXIST;
            throw_errno("File " + path + " exists and is not a socket");
        }
        ::unlink(path.c_str());
    }
    if (::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof address) != 0)
        throw_errno("bind " + path);
    if (::chmod(path.c_str(), mode) != 0) throw_errno("chmod " + path);
    if (::listen(fd, backlog) != 0) throw_errno("listen");
    return socket;
}

bool is_valid_ip(std::string_view ip) {
    if (ip.empty() || ip.find('\0') != std::string_view::npos) return false;
    addrinfo hints{};
    hints.ai_family = AF_UNSPEC;
    hints.ai_socktype = SOCK_STREAM;
    hints.ai_flags = AI_NUMERICHOST;
    addrinfo* found = nullptr;
    const std::string host(ip);
    if (::getaddrinfo(host.c_str(), nullptr, &hints, &found) != 0) return false;
    ::freeaddrinfo(found);
    return true;
}

boost::asio::awaitable<std::vector<boost::asio::ip::tcp::endpoint>> Resolver::resolve(
    std::string host, std::uint16_t port, Family family) {
    boost::asio::ip::tcp::resolver resolver(co_await boost::asio::this_coro::executor);
    const auto results =
        family == Family::unspec
            ? co_await resolver.async_resolve(host, std::to_string(port),
                                              boost::asio::use_awaitable)
            : co_await resolver.async_resolve(
                  family == Family::inet ? boost::asio::ip::tcp::v4() : boost::asio::ip::tcp::v6(),
                  host, std::to_string(port), boost::asio::use_awaitable);
    std::vector<boost::asio::ip::tcp::endpoint> endpoints;
    for (const auto& entry : results)
        endpoints.push_back(entry.endpoint());
    co_return endpoints;
}

}  // namespace typhoon::netutil
