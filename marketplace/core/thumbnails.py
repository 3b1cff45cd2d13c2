"""Thumbnails that never take a page down with them.

Every shopper page makes its photos' thumbnails through Oscar's
`{% oscar_thumbnail %}`, which asks `OSCAR_THUMBNAILER`, and each template
shows the product's sector illustration when it gets no thumbnail back. A
thumbnail cannot be made when:

- the media store is down or slow (`MediaStoreUnavailable`, an `OSError`,
  as a local disk that fails raises);
- the photo's file is missing or unreadable (its row is there, its file was
  deleted from the disk or the bucket, or is not an image): sorl-thumbnail
  logs that and hands back the thumbnail it could not write, with no size,
  whose URL is a 404 and whose `width` breaks the template (a 500).

Both come back from here as `None`, "no thumbnail", so the page shows the
illustration instead, in every template and also under DEBUG (where Oscar's
tag would re-raise an error).
"""

import logging

from oscar.core.thumbnails import SorlThumbnail

logger = logging.getLogger(__name__)


class FailSoftThumbnailer(SorlThumbnail):
    """Oscar's sorl-thumbnail adapter, answering `None` for a thumbnail that
    could not be made."""

    def generate_thumbnail(self, source, **opts):
        try:
            thumbnail = super().generate_thumbnail(source, **opts)
        except OSError as error:
            logger.warning("no thumbnail of %s: %s", source, error)
            return None
        if thumbnail.size is None:
            # sorl could not read the source and wrote nothing
            logger.warning("no thumbnail of %s: its file is missing or unreadable", source)
            return None
        return thumbnail
