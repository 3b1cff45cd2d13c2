"""VND has no minor unit: no fractional đồng anywhere."""

from decimal import Decimal

from django.template import Context, Template
from django.utils import translation
from oscar.core.loading import get_class, get_model
from oscar.test import factories

from marketplace.core.money import round_offer_discount


def test_currency_filter_formats_whole_dong_in_vietnamese():
    with translation.override("vi"):
        html = Template("{% load currency_filters %}{{ v|currency }}").render(
            Context({"v": Decimal("1234567.40")})
        )
    assert html == "1.234.567\xa0₫"


def test_offer_discounts_round_down_to_whole_dong():
    assert round_offer_discount(Decimal("14999.85"), "VND") == Decimal("14999")


def test_percentage_offer_leaves_whole_dong_on_the_basket(db):
    # given a 15% offer on everything and a 99.999 ₫ product
    Applicator = get_class("offer.applicator", "Applicator")
    Benefit = get_model("offer", "Benefit")
    Condition = get_model("offer", "Condition")
    product = factories.create_product(price=Decimal("99999"))
    range_ = factories.RangeFactory(includes_all_products=True)
    factories.ConditionalOfferFactory(
        condition=factories.ConditionFactory(range=range_, type=Condition.COUNT, value=1),
        benefit=factories.BenefitFactory(range=range_, type=Benefit.PERCENTAGE, value=15),
    )
    basket = factories.create_basket(empty=True)
    basket.add_product(product, quantity=3)
    # when offers apply
    Applicator().apply(basket)
    # then the discount and the total are whole đồng
    assert basket.total_discount > 0
    assert basket.total_discount == basket.total_discount.to_integral_value()
    assert basket.total_excl_tax == basket.total_excl_tax.to_integral_value()
