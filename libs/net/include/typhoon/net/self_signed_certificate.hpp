#ifndef TYPHOON_NET_SELF_SIGNED_CERTIFICATE_HPP
#define TYPHOON_NET_SELF_SIGNED_CERTIFICATE_HPP

#include <string>

namespace typhoon::netutil {

/// A certificate and its key, as make_self_signed_certificate() returns them.
struct SelfSignedCertificate {
    std::string certificate_pem;  ///< the X.509 certificate, PEM-encoded
    std::string private_key_pem;  ///< its private key, PEM-encoded (unencrypted PKCS#8)
};

/** A fresh P-256 key and a self-signed certificate for `host` (CN and subjectAltName), valid for a
    day: for tests and local development, where TLS should need no files and nothing from the
    network. Never for production. @throws std::runtime_error if OpenSSL fails. */
SelfSignedCertificate make_self_signed_certificate(const std::string& host = "localhost");

}  // namespace typhoon::netutil

#endif
