namespace ProxyOperator.Modules;

/// <summary>
/// Port of the lexical slash-path functions of Go's <c>path</c> package that zip/zip.go relies on:
/// <c>path.Clean</c> (a zip entry name must already be clean), <c>path.Base</c> and <c>path.Dir</c>.
/// </summary>
internal static class GoPath
{
    /// <summary>path.Clean: shortest equivalent path by purely lexical processing.</summary>
    internal static string Clean(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        var rooted = path[0] == '/';
        var n = path.Length;
        var buf = new char[n + 1];
        var w = 0;
        int r = 0, dotdot = 0;
        if (rooted)
        {
            buf[w++] = '/';
            r = 1;
            dotdot = 1;
        }

        while (r < n)
        {
            if (path[r] == '/')
            {
                r++;
            }
            else if (path[r] == '.' && (r + 1 == n || path[r + 1] == '/'))
            {
                r++;
            }
            else if (path[r] == '.' && path[r + 1] == '.' && (r + 2 == n || path[r + 2] == '/'))
            {
                r += 2;
                if (w > dotdot)
                {
                    w--;
                    while (w > dotdot && buf[w] != '/')
                    {
                        w--;
                    }
                }
                else if (!rooted)
                {
                    if (w > 0)
                    {
                        buf[w++] = '/';
                    }

                    buf[w++] = '.';
                    buf[w++] = '.';
                    dotdot = w;
                }
            }
            else
            {
                if ((rooted && w != 1) || (!rooted && w != 0))
                {
                    buf[w++] = '/';
                }

                for (; r < n && path[r] != '/'; r++)
                {
                    buf[w++] = path[r];
                }
            }
        }

        return w == 0 ? "." : new string(buf, 0, w);
    }

    /// <summary>path.Base: the last element, after removing trailing slashes.</summary>
    internal static string Base(string path)
    {
        if (path.Length == 0)
        {
            return ".";
        }

        path = path.TrimEnd('/');
        var i = path.LastIndexOf('/');
        if (i >= 0)
        {
            path = path[(i + 1)..];
        }

        return path.Length == 0 ? "/" : path;
    }

    /// <summary>path.Dir: all but the last element, cleaned.</summary>
    internal static string Dir(string path)
    {
        var i = path.LastIndexOf('/');
        return Clean(path[..(i + 1)]);
    }
}
