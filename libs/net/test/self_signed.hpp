#ifndef TYPHOON_NET_TEST_SELF_SIGNED_HPP
#define TYPHOON_NET_TEST_SELF_SIGNED_HPP

#include <typhoon/net/self_signed_certificate.hpp>

#include <string>

namespace net_test {

using Certificate = typhoon::netutil::SelfSignedCertificate;

/// A certificate for `host` made at run time: TLS tests need no files and nothing from the network.
inline Certificate make_self_signed(const std::string& host = "localhost") {
    return typhoon::netutil::make_self_signed_certificate(host);
}

}  // namespace net_test

#endif
