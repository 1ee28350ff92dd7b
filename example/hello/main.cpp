// tools/run hello → http://localhost:8888/ answers "Hello, world".
#include "hello.hpp"

int main() {
    auto application = hello::make_app();
    application.listen(8888);
    typhoon::ioloop::IOLoop::current().start();
}
