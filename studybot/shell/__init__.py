"""The shell: everything that touches GitHub, git, the filesystem or the Actions runner."""
