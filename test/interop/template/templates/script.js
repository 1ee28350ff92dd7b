// Whitespace is squeezed in .js files.
var config = {% raw json_encode(config) %};


function    greet(name)   {
    return "Hello, " + name;
}
