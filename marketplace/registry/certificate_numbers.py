"""Certificate numbers as shoppers type them.

A decision number is printed "4315/QĐ-BNN-KTHT", and typed on a phone as
"4315/qd-bnn-ktht" or "4315 / QD-BNN-KTHT": no Đ key, no accents, any case,
stray spaces. A lookup that missed those told the shopper the certificate
did not exist, which reads as "this product is fake".

So the lookup compares *number keys*: the number folded as search folds
Vietnamese (`ocop.text.fold`: đ→d, every mark dropped), in capitals,
without spaces. `number_key` computes it in Python for what was typed;
`NumberKey` computes the same in SQL for the stored numbers, where
PostgreSQL has an index on exactly that expression (registry migration
0009, which keeps a frozen copy of the letters; a test checks they agree),
so the lookup never reads the whole table.
"""

from django.db.models import CharField, Func

from marketplace.ocop.text import VIETNAMESE_MARKED_LETTERS, fold

# The SQL below maps each marked letter to `fold` of it, one letter each.
MARKED_LETTERS = VIETNAMESE_MARKED_LETTERS
PLAIN_LETTERS = "".join(fold(letter) for letter in MARKED_LETTERS)
assert len(PLAIN_LETTERS) == len(MARKED_LETTERS)


def number_key(text: str | None) -> str:
    """What a typed or stored number is compared by."""
    return "".join(fold(text).upper().split())


class NumberKey(Func):
    """`number_key` of a column, in SQL: marked letters mapped to plain ones
    first (so UPPER needs only ASCII, whatever the database's locale), then
    capitals, then spaces removed. PostgreSQL's index (migration 0009) is on
    this exact expression; keep the two in step."""

    output_field = CharField()

    def __init__(self, expression, **extra):
        super().__init__(expression, **extra)

    def as_postgresql(self, compiler, connection, **extra_context):
        column, params = compiler.compile(self.source_expressions[0])
        return f"UPPER(REPLACE(TRANSLATE({column}, %s, %s), ' ', ''))", (
            *params,
            MARKED_LETTERS,
            PLAIN_LETTERS,
        )

    def as_sql(self, compiler, connection, **extra_context):
        """Other databases (the embedded SQLite default) have no TRANSLATE,
        and SQLite's parser cannot nest a REPLACE per letter: there the key
        is `number_key` itself, registered as an SQL function."""
        column, params = compiler.compile(self.source_expressions[0])
        return f"{SQLITE_FUNCTION}({column})", params


SQLITE_FUNCTION = "OCOP_NUMBER_KEY"


def sqlite_function_register(sender, connection, **kwargs) -> None:
    """`connection_created` receiver (registry app): give each SQLite
    connection the key function `NumberKey` calls there."""
    if connection.vendor == "sqlite":
        connection.connection.create_function(SQLITE_FUNCTION, 1, number_key, deterministic=True)
