"""Writing the registry's producers: creating them with their partner,
and healing rows that merged two producers.

A producer is known by (folded name, 2025 province), because the registry
has no producer id and one name recurs across provinces
(`producer_identity` chooses which record speaks for it). Rows from before
the province was part of that identity are split here, at the start of
every sync.
"""

import hashlib
from collections import defaultdict

from oscar.core.loading import get_model
from oscar.core.utils import slugify as oscar_slugify

from catalogue.services import products_reassign
from marketplace.ocop.models import Certificate, Producer
from marketplace.partner.services import partners_create
from marketplace.registry.addresses import province_2025
from marketplace.registry.models import ProducerSplit, SyncRun
from marketplace.registry.producer_identity import producer_preferred, producer_values
from marketplace.registry.records import (
    CertificateData,
    ProducerData,
    RecordRejected,
    producer_key,
    record_validate,
)
from search.tasks import reindex_on_commit

Product = get_model("catalogue", "Product")


def _partner_code(name: str, identity: tuple[str, str]) -> str:
    """A unique partner code computed up front, so Oscar's AutoSlugField
    need not query for uniqueness once per new producer; the province is in
    the digest because two producers may share a name."""
    digest = hashlib.blake2b("\x1f".join(identity).encode(), digest_size=5).hexdigest()
    return f"{oscar_slugify(name)[:100]}-{digest}"


def producers_create(chosen: dict[tuple[str, str], ProducerData]) -> list[Producer]:
    """Create producers, each with the Oscar partner that sells its
    products, in bulk: a first sync creates thousands."""
    if not chosen:
        return []
    partners = partners_create(
        names_and_codes=[(d.name, _partner_code(d.name, key)) for key, d in chosen.items()]
    )
    return Producer.objects.bulk_create(
        [
            Producer(
                registry_key=key[0], registry_province=key[1], partner=partner, **producer_values(d)
            )
            for (key, d), partner in zip(chosen.items(), partners, strict=True)
        ]
    )


def _stored_record(raw: dict) -> CertificateData | None:
    """A stored raw record read again, or None if it no longer reads."""
    try:
        return record_validate(raw)
    except RecordRejected:
        return None


def producers_heal(*, run: SyncRun) -> list[ProducerSplit]:
    """Split producer rows that merged same-name producers of different
    provinces, from before identity included the province.

    Runs at the start of every sync, and finds work only on rows without a
    `registry_province`. Each such row keeps the province most of its
    certificates carry (then its own, then by name) and whatever belongs to
    the row: its account, its orders' parcels, its story. The other
    provinces' certificates, products and stock records move to their own
    producer and partner; each move is recorded as a ProducerSplit.
    """
    splits: list[ProducerSplit] = []
    moved_certificates: list[int] = []
    for producer in Producer.objects.filter(registry_province__isnull=True).order_by("pk"):
        # A certificate whose stored record no longer reads says nothing of
        # its province: it stays with the row.
        groups: dict[str, list[tuple[Certificate, CertificateData]]] = defaultdict(list)
        for cert in producer.certificates.order_by("pk"):
            data = _stored_record(cert.raw)
            if data is not None:
                groups[data.producer.registry_province].append((cert, data))
        own = province_2025(producer.province)
        keep = max(groups, key=lambda p: (len(groups[p]), p == own, p), default=own)
        producer.registry_province = keep
        # The key now also evens out tone placement ("Hoà" ≡ "Hòa").
        key = producer_key(producer.name)
        if not Producer.objects.filter(registry_key=key, registry_province=keep).exists():
            producer.registry_key = key
        producer.save(update_fields=["registry_key", "registry_province"])
        for province, pairs in sorted(groups.items()):
            if province == keep:
                continue
            certificates = [cert for cert, _data in pairs]
            identity = (producer.registry_key, province)
            target = Producer.objects.filter(
                registry_key=identity[0], registry_province=province
            ).first()
            if target is None:
                data = producer_preferred([data for _cert, data in pairs])
                (target,) = producers_create({identity: data})
            Certificate.objects.filter(pk__in=[c.pk for c in certificates]).update(producer=target)
            products_reassign(certificates=certificates, producer=target)
            moved_certificates.extend(c.pk for c in certificates)
            splits.append(
                ProducerSplit.objects.create(
                    sync_run=run,
                    producer=producer,
                    new_producer=target,
                    province=province,
                    certificates_moved=len(certificates),
                )
            )
    if moved_certificates:
        reindex_on_commit(
            Product.objects.filter(certificate_id__in=moved_certificates).values_list(
                "pk", flat=True
            )
        )
    return splits
