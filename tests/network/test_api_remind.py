"""`POST /api/v1/network/taskings/<id>/remind/`: the late posts are reminded, as by the button."""

from relais.core.notifications.models import Notification
from tests.api_checks import send
from tests.matrix import Persona, check_matrix
from tests.network.conftest import make_tasking, move_due_date


def test_remind_late_posts(users, org, client_for):
    tasking = make_tasking(users.pilotage, [org.madrid, org.bamako])
    url = f"/api/v1/network/taskings/{tasking.pk}/remind/"
    assert send(client_for(users.pilotage), "post", url).json() == {"reminded": 0}  # not late
    move_due_date(tasking, -3)
    responses = check_matrix(
        url,
        method="post",
        anonymous=Persona.UNAUTHORIZED,
        other_unit=(users.attache_madrid, 403),
        read_only=(users.lecteur, 403),
        right_user=(users.pilotage, 200),
    )
    assert responses["right_user"].json()["reminded"] >= 2
    reminded = Notification.objects.filter(kind="reminder")
    assert {n.recipient for n in reminded} >= {users.attache_madrid, users.attache_bamako}
    # Once a day per post.
    assert send(client_for(users.pilotage), "post", url).json() == {"reminded": 0}
    draft = make_tasking(users.pilotage, [org.madrid], send=False)
    refused = send(
        client_for(users.pilotage), "post", f"/api/v1/network/taskings/{draft.pk}/remind/"
    )
    assert refused.status_code == 409
