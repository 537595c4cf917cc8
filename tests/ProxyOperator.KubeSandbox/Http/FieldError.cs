namespace ProxyOperator.KubeSandbox.Http;

/// <summary>
/// One cause of a 422 Invalid, rendered like apimachinery's field.Error
/// (https://github.com/kubernetes/apimachinery/blob/master/pkg/util/validation/field/errors.go).
/// </summary>
internal sealed record FieldError(string Reason, string Field, string Message)
{
    public static FieldError Required(string field) => new("FieldValueRequired", field, $"{field}: Required value");

    public static FieldError InvalidValue(string field, string value, string detail) =>
        new("FieldValueInvalid", field, $"{field}: Invalid value: {value}: {detail}");

    public static FieldError NotSupported(string field, string value, IEnumerable<string> supported) =>
        new("FieldValueNotSupported", field, $"{field}: Unsupported value: {value}: supported values: {string.Join(", ", supported)}");

    public static FieldError TypeInvalid(string field, string value, string detail) =>
        new("FieldValueTypeInvalid", field, $"{field}: Invalid value: {value}: {detail}");

    public override string ToString() => Message;
}
