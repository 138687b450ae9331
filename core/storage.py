"""Static files in production: WhiteNoise's compressed storage with content-hashed names."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    """Like WhiteNoise's, except that a missing source map does not stop `collectstatic`.

    Vendored libraries are often copied without their `.map` file, which only browser developer
    tools ever ask for; the `sourceMappingURL` comment is then left as it is. Any other missing
    file (a CSS `url()`, an import) is still an error.
    """

    def url_converter(self, name, hashed_files, template=None):
        convert = super().url_converter(name, hashed_files, template)

        def tolerant_convert(matchobj):
            try:
                return convert(matchobj)
            except ValueError:
                if "sourceMappingURL" in matchobj["matched"]:
                    return matchobj["matched"]
                raise

        return tolerant_convert
