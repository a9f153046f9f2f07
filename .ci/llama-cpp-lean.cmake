# Included after every project() call of the llama-cpp-python build (CMAKE_PROJECT_INCLUDE, see .ci/run).
# llama-cpp-python forces llama.cpp's "common" library on, but its Python package never loads it:
# turning it off again once llama.cpp's own project() has started skips its slowest C++ files.
set(LLAMA_BUILD_COMMON OFF CACHE BOOL "llama.cpp common library (unused by llama-cpp-python)" FORCE)
