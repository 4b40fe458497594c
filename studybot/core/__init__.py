"""The pure core: data and ``now`` in, data out. Nothing here reads the clock, the
environment, the network, git or the filesystem."""
