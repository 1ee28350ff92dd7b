#ifndef TYPHOON_NET_SSL_OPTIONS_HPP
#define TYPHOON_NET_SSL_OPTIONS_HPP

#include <memory>
#include <optional>
#include <string>
#include <string_view>

namespace boost::asio::ssl {
class context;
}

typedef struct ssl_st SSL;

namespace typhoon::netutil {

/** What tornado.netutil.ssl_options_to_context() reads of an `ssl_options` dictionary: the files
    of a TLS server or client. Either side may give its certificate as files or as PEM text. */
struct SSLOptions {
    ///@{
    /// This side's certificate chain and private key, as PEM files (keyfile empty: the key is in
    /// certfile) or as PEM text. A server needs one; a client only for client certificates.
    std::string certfile{};
    std::string keyfile{};
    std::string certificate_pem{};
    std::string private_key_pem{};
    ///@}
    /// The certificate authorities that peers' certificates are checked against, as a PEM file;
    /// empty: the system's (OpenSSL's default paths).
    std::string ca_certs{};
    /** Whether the peer must present a certificate that verifies (Tornado's `cert_reqs`):
        by default a client verifies the server (chain and host name: see
        set_client_hostname()), and a server asks nothing of its clients. */
    std::optional<bool> verify_peer{};
    /// OpenSSL's cipher list for TLS 1.2 and older (`ciphers`); empty: OpenSSL's defaults.
    std::string ciphers{};
};

/** The TLS context for one side (tornado.netutil.ssl_options_to_context): TLS 1.2 or newer, no
    compression, the certificate and verification `options` ask for. Every TLS context of
    Typhoon's servers and clients is made here.

        auto context = netutil::ssl_options_to_context(
            {.certfile = "cert.pem", .keyfile = "key.pem"}, true);
        app.listen(443, "", {.ssl_context = context});

    @throws typhoon::Error naming the option and the file when a file cannot be read or does not
    hold what it should. */
std::shared_ptr<boost::asio::ssl::context> ssl_options_to_context(const SSLOptions& options,
                                                                  bool server_side);

/** Prepares the client side of a handshake with `host`: SNI (unless `host` is an IP address, as
    RFC 6066 asks), and, when the context verifies peers, the check of the certificate against
    the name (DNS or IP), so that a mismatch fails the handshake as "hostname mismatch". */
void set_client_hostname(SSL* ssl, std::string_view host);

}  // namespace typhoon::netutil

#endif
