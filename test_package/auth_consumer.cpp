#include <typhoon/auth.hpp>

#include <iostream>

int main() {
    // Only typhoon::auth was asked for: web, http and OpenSSL come along. The expected value is
    // python3-tornado's _oauth10a_signature for the same inputs.
    const auto signature = typhoon::auth::oauth10a_signature(
        {.key = "asdf", .secret = "qwer"}, "GET", "http://www.example.com/api/asdf",
        {{"foo", "bar"}}, typhoon::auth::OAuthToken{.key = "uiop", .secret = "5678"});
    std::cout << "auth_consumer: " << signature << '\n';
    return signature == "SJSfsZHpeLzDqQzcaRYJJLr9p8Q=" ? 0 : 1;
}
