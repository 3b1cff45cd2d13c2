"""Media on an S3-compatible object store, shared by every web and worker
process (a photo uploaded through one machine is served by all of them).

One bucket holds two kinds of objects:

- public media (product photos, their sorl thumbnails, Wagtail images): the
  bucket policy lets anyone read those prefixes, so their URLs are plain and
  stable, and a page cached in Redis keeps working links;
- everything else (Wagtail documents, operators' decision-list uploads):
  readable only with a presigned URL that expires. Public is an allow-list,
  so a new kind of upload starts private.

The store being down or slow must not take the shop with it: the client
gives up after a few seconds, a process that found it down stops asking for
a while, and a failed call is raised as `MediaStoreUnavailable` (an
`OSError`, as a full local disk would raise), so callers handle "could not
store the file" without knowing which backend stores it.
"""

import json
import time

from boto3.exceptions import Boto3Error
from botocore.config import Config
from botocore.exceptions import BotoCoreError, ClientError
from storages.backends.s3 import S3Storage
from storages.utils import clean_name

# Upload prefixes anyone may read: Oscar's product and category images, sorl
# thumbnails, Wagtail's original images and renditions. Wagtail documents
# ("documents/") are left out on purpose: a document may sit in a private
# collection, and Wagtail checks that before redirecting to its signed URL.
PUBLIC_PREFIXES = ("images/", "categories/", "cache/", "original_images/")


class MediaStoreUnavailable(OSError):
    """The object store refused or did not answer a write."""


class MediaStorage(S3Storage):
    """django-storages' S3 backend with public and private objects in one
    bucket, short timeouts, and presigned URLs made for the store's public
    address (the web processes may reach it by another one)."""

    def get_default_settings(self):
        return {
            **super().get_default_settings(),
            "public_prefixes": PUBLIC_PREFIXES,
            # where browsers reach the store, if not at endpoint_url (in
            # compose the web containers say http://versitygw:7070)
            "presign_endpoint_url": None,
            "connect_timeout": 3,
            "read_timeout": 10,
            # tries in all, the first included
            "max_attempts": 2,
            "down_cooldown": 30,
        }

    def __init__(self, **settings):
        super().__init__(**settings)
        self.client_config = self.client_config.merge(
            Config(
                connect_timeout=self.connect_timeout,
                read_timeout=self.read_timeout,
                retries={"total_max_attempts": self.max_attempts, "mode": "standard"},
            )
        )
        self._presigner = None
        self._down_until = 0.0

    def is_public(self, name: str) -> bool:
        return clean_name(name).startswith(tuple(self.public_prefixes))

    def url(self, name, parameters=None, expire=None, http_method=None):
        if self.is_public(name) and not self.querystring_auth:
            return super().url(name, parameters, expire, http_method)
        return self.presigned_url(name, expire=expire, parameters=parameters)

    def presigned_url(self, name, *, expire=None, parameters=None) -> str:
        """A GET URL that works for `expire` seconds, signed for the store's
        public address; signing needs no request to the store."""
        params = {
            **(parameters or {}),
            "Bucket": self.bucket_name,
            "Key": self._normalize_name(clean_name(name)),
        }
        return self._presign_client().generate_presigned_url(
            "get_object",
            Params=params,
            ExpiresIn=self.querystring_expire if expire is None else expire,
        )

    def _presign_client(self):
        if self._presigner is None:
            self._presigner = self._create_session().client(
                "s3",
                region_name=self.region_name,
                endpoint_url=self.presign_endpoint_url or self.endpoint_url,
                config=self.client_config,
            )
        return self._presigner

    def bucket_prepare(self) -> bool:
        """Create the bucket if it is missing and let anyone read the public
        prefixes (and nothing else). Safe to run at every deploy; returns
        whether the bucket was created."""
        client = self.connection.meta.client
        created = False
        try:
            client.head_bucket(Bucket=self.bucket_name)
        except ClientError as error:
            if error.response["ResponseMetadata"]["HTTPStatusCode"] != 404:
                raise
            client.create_bucket(Bucket=self.bucket_name)
            created = True
        resources = [
            f"arn:aws:s3:::{self.bucket_name}/{self._normalize_name(prefix)}*"
            for prefix in self.public_prefixes
        ]
        if not resources:
            return created
        policy = {
            "Version": "2012-10-17",
            "Statement": [
                {
                    "Sid": "PublicMediaRead",
                    "Effect": "Allow",
                    "Principal": "*",
                    "Action": ["s3:GetObject"],
                    "Resource": resources,
                }
            ],
        }
        client.put_bucket_policy(Bucket=self.bucket_name, Policy=json.dumps(policy))
        return created

    # --- calls that reach the store, behind a short-lived breaker ----------

    def _call(self, what: str, name: str, call, *args, **kwargs):
        """Run one call to the store. After the store failed to answer (a
        connection refused or a timeout, not a 403 or 404, which are
        answers), every call in this process fails at once for
        `down_cooldown` seconds: a grid of 24 cards whose thumbnails are not
        made yet costs one timeout, not 24. Per process by design: each
        process finds out for itself, at the cost of one timeout."""
        if time.monotonic() < self._down_until:
            raise MediaStoreUnavailable(f"the media store is down; not trying to {what} {name!r}")
        try:
            return call(*args, **kwargs)
        except BotoCoreError as error:
            self._down_until = time.monotonic() + self.down_cooldown
            raise MediaStoreUnavailable(f"could not {what} {name!r}: {error}") from error
        except (ClientError, Boto3Error) as error:
            raise MediaStoreUnavailable(f"could not {what} {name!r}: {error}") from error

    def save(self, name, content, max_length=None):
        return self._call("store", name, super().save, name, content, max_length=max_length)

    def delete(self, name):
        return self._call("delete", name, super().delete, name)

    def exists(self, name):
        return self._call("look up", name, super().exists, name)

    def size(self, name):
        return self._call("size up", name, super().size, name)

    def _open(self, name, mode="rb"):
        # reading asks the store for the object's head here, so a store that
        # is down fails in this call; the bytes follow on the first read
        return self._call("open", name, super()._open, name, mode)
