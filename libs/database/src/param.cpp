#include <typhoon/database/param.hpp>

#include <typhoon/database/errors.hpp>

#include <boost/json/value.hpp>

namespace typhoon::database {

Param::Param(const boost::json::value& value) {
    switch (value.kind()) {
        case boost::json::kind::null:
            break;
        case boost::json::kind::bool_:
            value_ = std::int64_t{value.get_bool()};
            boolean_ = true;
            break;
        case boost::json::kind::int64:
            value_ = value.get_int64();
            break;
        case boost::json::kind::uint64:
            value_ = value.get_uint64();
            break;
        case boost::json::kind::double_:
            value_ = value.get_double();
            break;
        case boost::json::kind::string:
            value_ = std::string(value.get_string());
            break;
        case boost::json::kind::array:
        case boost::json::kind::object:
            throw InterfaceError(
                "a JSON array or object cannot be bound to a SQL parameter; "
                "bind escape::json_encode(value) to store its text");
    }
}

}  // namespace typhoon::database
