"""Which record speaks for a producer, when a crawl's records disagree.

The registry repeats a producer's details on every one of its products, and
those copies disagree: one product still carries the legacy three-level
address ("…, Huyện Lục Nam, Tỉnh Bắc Giang"), another the 2025 two-level
form ("…, Tỉnh Bắc Ninh"). If whichever record the crawl happened to list
first won, the producer would be rewritten every day the crawl order
changed. So the choice is a total order over the records themselves:
the 2025 address first, then the latest decision, then the registry id.
"""

from collections.abc import Iterable

from marketplace.registry.records import CertificateData, ProducerData


def _preference(data: CertificateData) -> tuple:
    return (not data.producer.address.is_legacy, data.issued_on, data.registry_id)


def producer_preferred(records: Iterable[CertificateData]) -> ProducerData:
    """The producer data of the preferred record among one producer's records."""
    return max(records, key=_preference).producer


def producers_choose(records: Iterable[CertificateData]) -> dict[tuple[str, str], ProducerData]:
    """Each producer identity in `records`, with the data of its preferred
    record; the same whatever order the records come in."""
    best: dict[tuple[str, str], CertificateData] = {}
    for data in records:
        identity = data.producer.identity
        current = best.get(identity)
        if current is None or _preference(data) > _preference(current):
            best[identity] = data
    return {identity: data.producer for identity, data in best.items()}


def producer_values(data: ProducerData) -> dict:
    """The Producer fields the registry owns, from one record."""
    return {
        "name": data.name,
        "kind": data.kind,
        "representative": data.representative,
        "phone": data.phone,
        "email": data.email,
        "address_raw": data.address.raw,
        "province": data.address.province,
        "district": data.address.district,
        "ward": data.address.ward,
    }
