#ifndef TYPHOON_NET_NETUTIL_HPP
#define TYPHOON_NET_NETUTIL_HPP

#include <boost/asio/awaitable.hpp>
#include <boost/asio/ip/tcp.hpp>

#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

/// Sockets and addresses (tornado.netutil).
namespace typhoon::netutil {

/// Address families, as socket.AF_* in Tornado's signatures.
enum class Family { unspec, inet, inet6 };

/** A listening socket, bound but not yet attached to any loop: what bind_sockets() returns, so
    that sockets can be made before fork_processes() and used by every child. Move-only; closes
    the socket unless it was released. */
class BoundSocket {
public:
    /// Holds no socket (fd() is -1).
    BoundSocket() = default;
    /// Takes ownership of `fd`, a listening socket of address family `family` (AF_INET...).
    BoundSocket(int fd, int family) noexcept : fd_(fd), family_(family) {}
    ///@{
    /// Moves the descriptor; `other` is left empty. Assignment closes the one held before.
    BoundSocket(BoundSocket&& other) noexcept;
    BoundSocket& operator=(BoundSocket&& other) noexcept;
    ///@}
    ~BoundSocket();

    /// The listening descriptor, still owned by this object; -1 when empty or released.
    int fd() const noexcept { return fd_; }
    /// AF_INET, AF_INET6 or AF_UNIX.
    int family() const noexcept { return family_; }
    /// The port it is bound to (0 for a Unix socket).
    std::uint16_t port() const;
    /// Gives up ownership of the descriptor.
    int release() noexcept;

private:
    int fd_ = -1;
    int family_ = 0;
};

/// The keyword arguments of tornado.netutil.bind_sockets.
struct BindOptions {
    /// Bind only IPv4 or only IPv6 addresses; by default every address the host resolves to.
    Family family = Family::unspec;
    /// The listen() queue length: connections the kernel holds before they are accepted.
    int backlog = 128;
    /// SO_REUSEPORT: several processes or loops may listen on the same port, the kernel spreads
    /// connections between them.
    bool reuse_port = false;
};

/** Listening sockets for `port` on every address `address` resolves to (tornado.netutil.
    bind_sockets); "" listens on all interfaces, IPv4 and IPv6 (as separate sockets). With port 0
    every socket gets the same free port.
    @throws boost::system::system_error when an address cannot be resolved or bound. */
std::vector<BoundSocket> bind_sockets(std::uint16_t port, std::string_view address = "",
                                      BindOptions options = {});

/** A listening Unix socket at `path` (tornado.netutil.bind_unix_socket); a stale socket file there
    is replaced, any other file is an error. `mode` is applied to the socket file.
    @throws boost::system::system_error. */
BoundSocket bind_unix_socket(const std::string& path, unsigned mode = 0600, int backlog = 128);

/// True for an IPv4 or IPv6 address literal (tornado.netutil.is_valid_ip); host names are not.
bool is_valid_ip(std::string_view ip);

/** Asynchronous name resolution (tornado.netutil.Resolver) on the calling loop. Subclass it to
    resolve differently (Tornado's OverrideResolver, or a stub in tests). */
class Resolver {
public:
    virtual ~Resolver() = default;
    /// @throws boost::system::system_error when the name does not resolve.
    virtual boost::asio::awaitable<std::vector<boost::asio::ip::tcp::endpoint>> resolve(
        std::string host, std::uint16_t port, Family family = Family::unspec);
};

}  // namespace typhoon::netutil

#endif
