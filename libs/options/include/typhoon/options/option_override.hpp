#ifndef TYPHOON_OPTIONS_OPTION_OVERRIDE_HPP
#define TYPHOON_OPTIONS_OPTION_OVERRIDE_HPP

#include <typhoon/options/option_parser.hpp>

#include <string_view>

namespace typhoon::options {

/** Sets an option for a scope and restores it afterwards: Tornado's
    `mock.patch.object(options.mockable(), "port", 9000)`. Both changes run the option's callback,
    as Tornado's do.

        OptionOverride port{options(), "port", 9000};
        BOOST_TEST(get<int>("port") == 9000);
*/
class OptionOverride {
public:
    /// Sets option `name` of `parser` to `value`, as OptionParser::set() does.
    /// @throws Error as OptionParser::set() does; nothing is changed then.
    template <class T>
    OptionOverride(OptionParser& parser, std::string_view name, const T& value)
        : record_(&parser.find(name)), saved_(detail::value_of(*record_)) {
        parser.set(name, value);
    }
    /// Sets the option `option` refers to, to `value` converted to its type.
    template <option_type T, class U>
    OptionOverride(const Option<T>& option, const U& value)
        : record_(&option.record()), saved_(detail::value_of(*record_)) {
        option.set(T(value));
    }
    ~OptionOverride() { detail::assign(*record_, std::move(saved_)); }
    OptionOverride(const OptionOverride&) = delete;
    OptionOverride& operator=(const OptionOverride&) = delete;

private:
    OptionRecord* record_;
    Value saved_;
};

}  // namespace typhoon::options

#endif
