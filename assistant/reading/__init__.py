"""Reading a question into a typed request (issue 11). `windows.read_window` reads its time window."""
