// The GGUF inference engine. See Engine/ for the entry point.
