//! Formulas of `derived` indicators: `+ − * /`, parentheses, numbers and indicator ids, compiled to a
//! stack program the engine runs per path without allocating.

use std::fmt;

/// One instruction of a compiled formula.
#[derive(Debug, Clone, Copy, PartialEq)]
pub enum Instr {
    Const(f64),
    /// Push the current value of the variable with this index (see [`Program::vars`]).
    Var(usize),
    Add,
    Sub,
    Mul,
    Div,
    Neg,
}

/// A compiled formula.
#[derive(Debug, Clone, PartialEq)]
pub struct Program {
    pub code: Vec<Instr>,
    /// Names of the variables, in the order `Instr::Var` indexes them.
    pub vars: Vec<String>,
    /// The largest stack depth the program reaches.
    pub depth: usize,
}

/// The deepest formula the engine evaluates (its fixed stack size).
pub const MAX_DEPTH: usize = 32;

/// The most nested parentheses and signs the parser follows. The parser is recursive; this bounds
/// its own stack use, so a hostile formula is an error, never a stack overflow.
pub const MAX_NESTING: usize = 64;

/// A formula syntax error at a character offset.
#[derive(Debug, Clone, PartialEq)]
pub struct FormulaError {
    pub offset: usize,
    pub message: String,
}

impl fmt::Display for FormulaError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} (at character {})", self.message, self.offset + 1)
    }
}

#[derive(Debug, Clone, PartialEq)]
enum Tok {
    Num(f64),
    Ident(String),
    Op(char),
    LParen,
    RParen,
}

fn lex(s: &str) -> Result<Vec<(usize, Tok)>, FormulaError> {
    let chars: Vec<char> = s.chars().collect();
    let mut out = Vec::new();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        if c.is_whitespace() {
            i += 1;
        } else if c.is_ascii_digit() || c == '.' {
            let start = i;
            while i < chars.len()
                && (chars[i].is_ascii_digit()
                    || chars[i] == '.'
                    || chars[i] == 'e'
                    || chars[i] == 'E'
                    || ((chars[i] == '-' || chars[i] == '+')
                        && (chars[i - 1] == 'e' || chars[i - 1] == 'E')))
            {
                i += 1;
            }
            let text: String = chars[start..i].iter().collect();
            let v: f64 = text.parse().map_err(|_| FormulaError {
                offset: start,
                message: format!("`{text}` is not a number"),
            })?;
            out.push((start, Tok::Num(v)));
        } else if c.is_ascii_alphabetic() || c == '_' {
            let start = i;
            while i < chars.len() && (chars[i].is_ascii_alphanumeric() || chars[i] == '_') {
                i += 1;
            }
            out.push((start, Tok::Ident(chars[start..i].iter().collect())));
        } else if "+-*/".contains(c) {
            out.push((i, Tok::Op(c)));
            i += 1;
        } else if c == '(' {
            out.push((i, Tok::LParen));
            i += 1;
        } else if c == ')' {
            out.push((i, Tok::RParen));
            i += 1;
        } else {
            return Err(FormulaError {
                offset: i,
                message: format!(
                    "unexpected character `{c}`; formulas allow + - * / ( ), numbers and indicator ids"
                ),
            });
        }
    }
    Ok(out)
}

struct Parser {
    toks: Vec<(usize, Tok)>,
    pos: usize,
    end: usize,
    code: Vec<Instr>,
    vars: Vec<String>,
    /// Current nesting of parentheses and unary signs.
    nesting: usize,
}

impl Parser {
    fn peek(&self) -> Option<&Tok> {
        self.toks.get(self.pos).map(|(_, t)| t)
    }
    fn offset(&self) -> usize {
        self.toks.get(self.pos).map(|(o, _)| *o).unwrap_or(self.end)
    }
    fn expr(&mut self) -> Result<(), FormulaError> {
        self.term()?;
        while let Some(Tok::Op(c @ ('+' | '-'))) = self.peek().cloned() {
            self.pos += 1;
            self.term()?;
            self.code
                .push(if c == '+' { Instr::Add } else { Instr::Sub });
        }
        Ok(())
    }
    fn term(&mut self) -> Result<(), FormulaError> {
        self.unary()?;
        while let Some(Tok::Op(c @ ('*' | '/'))) = self.peek().cloned() {
            self.pos += 1;
            self.unary()?;
            self.code
                .push(if c == '*' { Instr::Mul } else { Instr::Div });
        }
        Ok(())
    }
    /// Enters one level of parentheses or unary sign; refuses formulas nested too deeply.
    fn enter(&mut self) -> Result<(), FormulaError> {
        self.nesting += 1;
        if self.nesting > MAX_NESTING {
            return Err(FormulaError {
                offset: self.offset(),
                message: format!(
                    "the formula nests parentheses or signs too deeply (more than {MAX_NESTING} levels)"
                ),
            });
        }
        Ok(())
    }
    fn unary(&mut self) -> Result<(), FormulaError> {
        if matches!(self.peek(), Some(Tok::Op('-' | '+'))) {
            self.enter()?;
            let r = self.unary_inner();
            self.nesting -= 1;
            return r;
        }
        self.atom()
    }
    fn unary_inner(&mut self) -> Result<(), FormulaError> {
        match self.peek() {
            Some(Tok::Op('-')) => {
                self.pos += 1;
                self.unary()?;
                self.code.push(Instr::Neg);
                Ok(())
            }
            Some(Tok::Op('+')) => {
                self.pos += 1;
                self.unary()
            }
            _ => self.atom(),
        }
    }
    fn atom(&mut self) -> Result<(), FormulaError> {
        let off = self.offset();
        match self.peek().cloned() {
            Some(Tok::Num(v)) => {
                self.pos += 1;
                self.code.push(Instr::Const(v));
                Ok(())
            }
            Some(Tok::Ident(name)) => {
                self.pos += 1;
                let idx = match self.vars.iter().position(|v| *v == name) {
                    Some(i) => i,
                    None => {
                        self.vars.push(name);
                        self.vars.len() - 1
                    }
                };
                self.code.push(Instr::Var(idx));
                Ok(())
            }
            Some(Tok::LParen) => {
                self.enter()?;
                self.pos += 1;
                self.expr()?;
                self.nesting -= 1;
                if self.peek() != Some(&Tok::RParen) {
                    return Err(FormulaError {
                        offset: self.offset(),
                        message: "missing `)`".into(),
                    });
                }
                self.pos += 1;
                Ok(())
            }
            Some(t) => Err(FormulaError {
                offset: off,
                message: format!("expected a number, an indicator id or `(`, found {t:?}"),
            }),
            None => Err(FormulaError {
                offset: off,
                message: "the formula ends too early".into(),
            }),
        }
    }
}

impl Program {
    /// Parses and compiles a formula.
    pub fn parse(s: &str) -> Result<Program, FormulaError> {
        let toks = lex(s)?;
        if toks.is_empty() {
            return Err(FormulaError {
                offset: 0,
                message: "the formula is empty".into(),
            });
        }
        let mut p = Parser {
            toks,
            pos: 0,
            end: s.chars().count(),
            code: Vec::new(),
            vars: Vec::new(),
            nesting: 0,
        };
        p.expr()?;
        if p.pos < p.toks.len() {
            return Err(FormulaError {
                offset: p.offset(),
                message: "unexpected text after the end of the formula".into(),
            });
        }
        let mut depth = 0usize;
        let mut max = 0usize;
        for ins in &p.code {
            match ins {
                Instr::Const(_) | Instr::Var(_) => depth += 1,
                Instr::Neg => {}
                _ => depth -= 1,
            }
            max = max.max(depth);
        }
        if max > MAX_DEPTH {
            return Err(FormulaError {
                offset: 0,
                message: format!("the formula nests too deeply (stack depth {max} > {MAX_DEPTH})"),
            });
        }
        Ok(Program {
            code: p.code,
            vars: p.vars,
            depth: max,
        })
    }

    /// Evaluates with variable values given by `var(i)`.
    #[inline]
    pub fn eval(&self, var: impl Fn(usize) -> f64) -> f64 {
        let mut stack = [0.0f64; MAX_DEPTH];
        let mut sp = 0usize;
        for ins in &self.code {
            match *ins {
                Instr::Const(v) => {
                    stack[sp] = v;
                    sp += 1;
                }
                Instr::Var(i) => {
                    stack[sp] = var(i);
                    sp += 1;
                }
                Instr::Neg => stack[sp - 1] = -stack[sp - 1],
                op => {
                    sp -= 1;
                    let (a, b) = (stack[sp - 1], stack[sp]);
                    stack[sp - 1] = match op {
                        Instr::Add => a + b,
                        Instr::Sub => a - b,
                        Instr::Mul => a * b,
                        _ => a / b,
                    };
                }
            }
        }
        stack[0]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn eval(s: &str, vals: &[(&str, f64)]) -> f64 {
        let p = Program::parse(s).unwrap();
        p.eval(|i| vals.iter().find(|(n, _)| *n == p.vars[i]).unwrap().1)
    }

    #[test]
    fn precedence_and_parentheses() {
        assert_eq!(eval("1 + 2 * 3", &[]), 7.0);
        assert_eq!(eval("(1 + 2) * 3", &[]), 9.0);
        assert_eq!(eval("energy / gdp", &[("energy", 10.0), ("gdp", 4.0)]), 2.5);
        assert_eq!(eval("-a - -b", &[("a", 1.0), ("b", 5.0)]), 4.0);
        assert_eq!(
            eval("a / b / c", &[("a", 8.0), ("b", 2.0), ("c", 2.0)]),
            2.0
        );
        assert_eq!(eval("1e2 * x", &[("x", 0.5)]), 50.0);
    }

    #[test]
    fn syntax_errors_have_offsets() {
        assert_eq!(Program::parse("a + ").unwrap_err().offset, 4);
        assert_eq!(Program::parse("a $ b").unwrap_err().offset, 2);
        assert!(Program::parse("(a + b").is_err());
        assert!(Program::parse("a b").is_err());
        assert!(Program::parse("").is_err());
    }

    #[test]
    fn hostile_nesting_is_an_error_not_a_stack_overflow() {
        let deep = "(".repeat(100_000) + "a" + &")".repeat(100_000);
        assert!(
            Program::parse(&deep)
                .unwrap_err()
                .message
                .contains("deeply")
        );
        let signs = "-".repeat(100_000) + "a";
        assert!(
            Program::parse(&signs)
                .unwrap_err()
                .message
                .contains("deeply")
        );
        let ok = "(".repeat(20) + "a" + &")".repeat(20);
        assert!(Program::parse(&ok).is_ok());
        assert_eq!(eval("- - + - a", &[("a", 2.0)]), -2.0);
    }
}
