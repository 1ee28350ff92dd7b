#include <typhoon/session/session.hpp>

namespace typhoon::session {

std::optional<boost::json::value> Session::get(std::string_view key) const {
    if (const auto* value = data_.if_contains(key)) return *value;
    return std::nullopt;
}

boost::json::value Session::get(std::string_view key, boost::json::value default_value) const {
    if (const auto* value = data_.if_contains(key)) return *value;
    return default_value;
}

bool Session::contains(std::string_view key) const noexcept {
    return data_.contains(key);
}

void Session::set(std::string_view key, boost::json::value value) {
    data_[key] = std::move(value);
    modified_ = true;
}

bool Session::erase(std::string_view key) {
    const bool erased = data_.erase(key) > 0;
    modified_ = modified_ || erased;
    return erased;
}

void Session::clear() {
    if (data_.empty()) return;
    data_.clear();
    modified_ = true;
}

}  // namespace typhoon::session
