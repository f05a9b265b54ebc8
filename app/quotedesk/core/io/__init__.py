"""Reading and writing files, apart from the rules: size-limited readers, safe
writes, where the data files live."""
