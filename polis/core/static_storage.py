"""Static files with content-hashed names, so browsers may keep them for good.

WhiteNoise serves a hashed name (`site.3f2a….css`) as immutable with a far-future
`max-age`; a change to the file changes its name. Until `collectstatic` has written the
manifest (a fresh checkout, the test suite) pages link the plain names instead of failing.
"""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticStorage(CompressedManifestStaticFilesStorage):
    manifest_strict = False

    def hashed_name(self, name, content=None, filename=None):
        try:
            return super().hashed_name(name, content, filename)
        except ValueError:  # not collected yet: the plain name, served by the finders
            return name
