#ifndef TYPHOON_CORE_ERROR_HPP
#define TYPHOON_CORE_ERROR_HPP

#include <stdexcept>

/// Typhoon: Tornado's web framework and asynchronous networking library in C++20. Each nested
/// namespace is named after the Tornado module it mirrors.
namespace typhoon {

/// Base of every exception Typhoon throws on purpose: `catch (const typhoon::Error&)` takes ours
/// and lets std::bad_alloc and programming errors through.
struct Error : std::runtime_error {
    using std::runtime_error::runtime_error;
};

}  // namespace typhoon

#endif
