#ifndef TYPHOON_NET_DETAIL_EXACT_SIZE_ALLOCATOR_HPP
#define TYPHOON_NET_DETAIL_EXACT_SIZE_ALLOCATOR_HPP

#include <cstddef>
#include <new>

namespace typhoon::iostream::detail {

/** Memory straight from operator new, for the operation an idle connection leaves pending
    (bind it to the completion token with boost::asio::bind_allocator). Asio would take a block
    from its per-thread cache of freed ones, often a larger one (an accept's, a handshake's
    write): an idle connection would hold that block for as long as it waits. */
template <class T>
struct ExactSizeAllocator {
    using value_type = T;
    ExactSizeAllocator() = default;
    template <class U>
    ExactSizeAllocator(const ExactSizeAllocator<U>&) noexcept {}
    T* allocate(std::size_t n) { return static_cast<T*>(::operator new(n * sizeof(T))); }
    void deallocate(T* p, std::size_t) noexcept { ::operator delete(p); }
    friend bool operator==(ExactSizeAllocator, ExactSizeAllocator) noexcept { return true; }
};

}  // namespace typhoon::iostream::detail

#endif
