"""Demo entries for the two wording lists, so the checks can be tried on a fresh install.

The forbidden expressions are names of State Council bodies abolished in the 2018 institutional
reform, which inspections flag when current content still uses them. Seeding never overwrites an
entry a platform admin has since edited.
"""

from home.models import ForbiddenExpression, Miswriting

REFORM_2018 = "2018 年国务院机构改革后已撤销"

DEMO_FORBIDDEN_EXPRESSIONS = [
    ("国家工商行政管理总局", "国家市场监督管理总局", REFORM_2018),
    (
        "国家质量监督检验检疫总局",
        "国家市场监督管理总局",
        f"{REFORM_2018}；出入境检验检疫职责划入海关总署",
    ),
    ("国家食品药品监督管理总局", "国家市场监督管理总局、国家药品监督管理局", REFORM_2018),
    ("国家卫生和计划生育委员会", "国家卫生健康委员会", REFORM_2018),
    ("国家安全生产监督管理总局", "应急管理部", REFORM_2018),
]

DEMO_MISWRITINGS = [
    ("截止目前", "截至目前"),
    ("按步就班", "按部就班"),
    ("既往不究", "既往不咎"),
    ("一愁莫展", "一筹莫展"),
    ("再接再励", "再接再厉"),
]


def seed_demo_wording_lists():
    for expression, correct, note in DEMO_FORBIDDEN_EXPRESSIONS:
        ForbiddenExpression.objects.get_or_create(
            expression=expression, defaults={"correct": correct, "note": note}
        )
    for wrong, right in DEMO_MISWRITINGS:
        Miswriting.objects.get_or_create(wrong=wrong, defaults={"right": right})
