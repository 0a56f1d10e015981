"""The OPDS 1.2 catalog: Atom feeds of works for e-reader apps, at /opds/."""
