"""Every item Go's Validate accepts reads without error, as the instants and texts Go holds."""

from go_system import GoRequest, go_requests
from hypothesis import given

from access_requests.adapters.dynamodb.codec import decode_item, encode_request
from access_requests.domain import epoch_nanoseconds


@given(go_requests())
def test_every_item_go_validate_accepts_reads_as_go_holds_it(go: GoRequest) -> None:
    """Long texts, any order of timestamps, any offset and nanosecond: it reads, exactly."""
    request = decode_item(go.item())
    # Check the texts and status are Go's
    assert (request.requester, request.profile, request.justification) == (
        go.requester,
        go.profile,
        go.justification,
    )
    assert (request.approver, request.approver_comment) == (go.approver, go.approver_comment)
    assert request.status.value == go.status
    # Check the instants and the duration are Go's, to the nanosecond
    assert request.created_at_ns == go.created_at.unix_ns
    assert request.expires_at_ns == go.expires_at.unix_ns
    assert request.duration_ns == go.duration_ns
    assert epoch_nanoseconds(request.updated_at) == go.updated_at.unix_ns // 1000 * 1000
    assert request.lock_token == go.updated_at.format()


@given(go_requests())
def test_a_go_item_encoded_again_names_the_same_instants(go: GoRequest) -> None:
    """What this library writes of a Go request reads back as Go's instants (in UTC)."""
    request = decode_item(go.item())
    again = GoRequest.from_item(encode_request(request))
    assert again.created_at.unix_ns == go.created_at.unix_ns
    assert again.expires_at.unix_ns == go.expires_at.unix_ns
    assert again.duration_ns == go.duration_ns
