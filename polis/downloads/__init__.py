"""Downloads of works: EPUB, PDF, HTML, and AZW3/MOBI through calibre, with a disk cache."""
