// The example site has no JavaScript of its own.
